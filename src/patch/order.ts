// List order after a strategic merge: items named by the patch (or by `$setElementOrder`) keep
// the patch's order, items only the server has keep theirs, and the two are interleaved by
// the server's order where both are known (apimachinery strategicpatch normalizeElementOrder).
import { deepEqual, isMap } from './util.ts';

/** The value that identifies an item: its merge key, or the item itself for primitive lists. */
export function identity(item: unknown, key: string): unknown {
  return key && isMap(item) ? item[key] : item;
}

export function indexIn(list: readonly unknown[], item: unknown, key: string): number {
  const id = identity(item, key);
  return list.findIndex((x) => deepEqual(identity(x, key), id));
}

/** Splits `items` into those present in `list` and the others, keeping their order. */
export function partition(items: readonly unknown[], list: readonly unknown[], key: string): [unknown[], unknown[]] {
  const inList: unknown[] = [];
  const rest: unknown[] = [];
  for (const it of items) (indexIn(list, it, key) >= 0 ? inList : rest).push(it);
  return [inList, rest];
}

/**
 * Sorts `items` by their position in `order`; items not in `order` stay after, in their order,
 * and `$patch: delete` items go last.
 */
function sortBy(items: readonly unknown[], order: readonly unknown[], key: string): unknown[] {
  const isDelete = (it: unknown) => key !== '' && isMap(it) && it.$patch === 'delete';
  const decorated = items.filter((it) => !isDelete(it)).map((it, i) => ({ it, i, at: indexIn(order, it, key) }));
  decorated.sort((a, b) => {
    const ai = a.at < 0 ? Infinity : a.at;
    const bi = b.at < 0 ? Infinity : b.at;
    return ai === bi ? a.i - b.i : ai - bi;
  });
  return [...decorated.map((d) => d.it), ...items.filter(isDelete)];
}

/** Inserts each server-only item before the first patch item the server lists after it. */
function mergeSorted(left: unknown[], right: unknown[], serverOrder: readonly unknown[], key: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], key);
      const ri = indexIn(serverOrder, right[j], key);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function normalizeElementOrder(
  patchItems: readonly unknown[],
  serverOnly: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  key: string,
): unknown[] {
  return mergeSorted(sortBy(serverOnly, serverOrder, key), sortBy(patchItems, patchOrder, key), serverOrder, key);
}
