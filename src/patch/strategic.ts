// Strategic merge patch: the merge of a patch into an object (what the API server does with
// `application/strategic-merge-patch+json`), and the merge of two patches (how the three-way
// patch of `kubectl apply` combines its deletions and its changes). One engine, two modes,
// following apimachinery's strategicpatch.mergeMap: maps merge, `null` deletes, lists with a
// merge key merge item by item, other lists are replaced, and the directives `$patch`,
// `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` are honoured.
import { lookup, type Schema } from './schema.ts';
import { identity, normalizeElementOrder, partition } from './order.ts';
import { badPatch, deepEqual, goFormat, isMap, jsonType, unprocessable, type JsonMap } from './util.ts';

export const DIRECTIVE = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ORDER = '$setElementOrder/';
export const DELETE_FROM = '$deleteFromPrimitiveList/';

export interface MergeOptions {
  /** Apply the parallel lists (`$setElementOrder/…`, `$deleteFromPrimitiveList/…`, `$retainKeys`) rather than carry them. */
  parallel: boolean;
  /** Drop `null`s instead of keeping them as deletions (true when the result is an object, not a patch). */
  dropNulls: boolean;
}

/** Patch into object: what the API server does. */
export const APPLY: MergeOptions = { parallel: true, dropNulls: true };
/** Patch into patch: what the three-way patch does with its two halves. */
export const COMBINE: MergeOptions = { parallel: false, dropNulls: false };

function noMergeKey(item: JsonMap, key: string): Error {
  return badPatch(`map: ${goFormat(item)} does not contain declared merge key: ${key}`);
}

/**
 * A value that is new to the object, as the typed decode leaves it: no nulls, no directive
 * keys, no `$patch: delete` items. Nothing is merged (two items with one key stay two).
 */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((v) => !(isMap(v) && Object.hasOwn(v, DIRECTIVE) && (v[DIRECTIVE] === 'delete' || Object.keys(v).length === 1))).map(clean);
  }
  if (!isMap(value)) return value;
  if (value[DIRECTIVE] === 'delete') return {};
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && !k.startsWith('$')) out[k] = clean(v);
  return out;
}

function fresh(value: unknown, o: MergeOptions): unknown {
  return o.dropNulls ? clean(value) : value;
}

/** Merges `patch` into `original`. Both are private copies: they are modified and reused. */
export function mergeMap(original: JsonMap, patch: JsonMap, schema: Schema, o: MergeOptions): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const d = patch[DIRECTIVE];
    if (d === 'replace') {
      delete patch[DIRECTIVE];
      return fresh(patch, o) as JsonMap;
    }
    if (d === 'delete') return {};
    throw badPatch(`unknown patch type: ${String(d)} in map: ${goFormat(patch)}`);
  }
  applyRetainKeys(original, patch, o);
  mergeOrderedLists(original, patch, schema, o);

  // Deletions from primitive lists first, so a value both deleted and re-added stays.
  const keys = Object.keys(patch).sort((a, b) => Number(b.startsWith(DELETE_FROM)) - Number(a.startsWith(DELETE_FROM)));
  for (const patchKey of keys) {
    const pv = patch[patchKey];
    let k = patchKey;
    let isDeleteList = false;
    if (k.startsWith(DELETE_FROM)) {
      if (!o.parallel) {
        original[k] = pv;
        continue;
      }
      k = k.slice(DELETE_FROM.length);
      isDeleteList = true;
    }
    if (pv === null) {
      delete original[k];
      if (o.dropNulls) continue;
    }
    if (!Object.hasOwn(original, k) || jsonType(original[k]) !== jsonType(pv)) {
      if (!isDeleteList) original[k] = fresh(pv, o);
      continue;
    }
    const ov = original[k];
    const { meta, sub } = lookup(schema, k);
    if (isMap(ov)) original[k] = meta.strategy === 'replace' ? pv : mergeMap(ov, pv as JsonMap, sub, o);
    else if (Array.isArray(ov)) {
      if (isDeleteList) original[k] = ov.filter((x) => !(pv as unknown[]).some((d) => deepEqual(d, x)));
      else original[k] = meta.strategy === 'merge' ? mergeSlice(ov, pv as unknown[], sub, meta.key ?? '', o, isDeleteList) : fresh(pv, o);
    } else original[k] = pv;
  }
  return original;
}

function applyRetainKeys(original: JsonMap, patch: JsonMap, o: MergeOptions): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!o.parallel) {
    if (!Object.hasOwn(original, RETAIN_KEYS)) original[RETAIN_KEYS] = list;
    else if (!deepEqual(original[RETAIN_KEYS], list)) throw badPatch(`${JSON.stringify(original[RETAIN_KEYS])} and ${JSON.stringify(list)} are not deep equal: this may happen when calculating the 3-way diff patch`);
    return;
  }
  if (!Array.isArray(list)) throw badPatch('invalid patch format of retainKeys');
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM) || k.startsWith(SET_ORDER)) continue;
    if (!list.includes(k)) throw badPatch('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!list.includes(k)) delete original[k];
}

/** `$setElementOrder/<list>`: merges that list now and orders it as the directive says. */
function mergeOrderedLists(original: JsonMap, patch: JsonMap, schema: Schema, o: MergeOptions): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ORDER)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!o.parallel) {
      // Combining two patches: the directive stays (once), and the list is ordered by it too.
      if (!Object.hasOwn(original, directiveKey)) original[directiveKey] = order;
      else if (!deepEqual(original[directiveKey], order)) throw badPatch('invalid patch format of setElementOrder list');
    }
    const field = directiveKey.slice(SET_ORDER.length);
    const hasOrig = Object.hasOwn(original, field) && original[field] !== null;
    const hasPatch = Object.hasOwn(patch, field) && patch[field] !== null;
    if (!Array.isArray(order) || (hasOrig && !Array.isArray(original[field])) || (hasPatch && !Array.isArray(patch[field]))) {
      throw badPatch('invalid patch format of setElementOrder list');
    }
    const ov = hasOrig ? (original[field] as unknown[]) : [];
    const pv = hasPatch ? (patch[field] as unknown[]) : [];
    const { meta, sub } = lookup(schema, field);
    const key = meta.key ?? '';
    validateOrder(pv, order, key);
    if (!hasOrig && !hasPatch) continue;
    let merged: unknown[];
    let serverOrder = ov;
    if (!hasPatch) merged = ov;
    else if (!hasOrig) merged = fresh(pv, o) as unknown[];
    else if (meta.strategy === 'merge') ({ merged, serverOrder } = mergeSliceWithOrder(ov, pv, sub, key, o, false));
    else merged = pv;
    const [patchItems, serverOnly] = partition(merged, order, key);
    original[field] = normalizeElementOrder(patchItems, serverOnly, order, serverOrder, key);
    delete patch[field];
  }
}

/** Every patch item must appear in the order list, in the same relative order. */
function validateOrder(patchList: unknown[], order: unknown[], key: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = patchList.filter((it) => !(isMap(it) && Object.hasOwn(it, DIRECTIVE)));
  let p = 0;
  let s = 0;
  while (p < items.length && s < order.length) {
    if (deepEqual(identity(items[p], key), identity(order[s], key))) p++;
    s++;
  }
  if (p < items.length) {
    throw badPatch(`The order in patch list:\n${goFormat(patchList)}\n doesn't match $setElementOrder list:\n${goFormat(order)}\n`);
  }
}

function elementKind(...lists: unknown[][]): 'map' | 'scalar' | undefined {
  let first: string | undefined;
  for (const l of lists) {
    for (const v of l) {
      const t = jsonType(v);
      if (first === undefined) {
        if (t === 'list') throw unprocessable('lists of lists are not supported');
        first = t;
      } else if (t !== first) throw badPatch(`list element types are not identical: ${JSON.stringify(lists)}`);
    }
  }
  return first === undefined ? undefined : first === 'map' ? 'map' : 'scalar';
}

/** Merges a list whose strategy is `merge`: by `key` for maps, as a set for primitives. */
export function mergeSlice(original: unknown[], patch: unknown[], schema: Schema, key: string, o: MergeOptions, isDeleteList: boolean): unknown[] {
  return mergeSliceWithOrder(original, patch, schema, key, o, isDeleteList).merged;
}

/**
 * mergeSlice, plus the server order `$setElementOrder` must then use. apimachinery edits the
 * live list in place (deletions shift it left, new items fill the freed slots), and orders by
 * what that leaves in the list's first `original.length` places; the same order is kept here
 * so that lists come out in the order Kubernetes gives them.
 */
function mergeSliceWithOrder(original: unknown[], patch: unknown[], schema: Schema, key: string, o: MergeOptions, isDeleteList: boolean): { merged: unknown[]; serverOrder: unknown[] } {
  const n = original.length;
  const result = (merged: unknown[], serverOrder: unknown[] = original) => ({ merged, serverOrder });
  if (original.length === 0 && patch.length === 0) return result(original);
  const kind = elementKind(original, patch);
  let merged: unknown[];
  let patchItems = patch;
  if (kind !== 'map') {
    if (o.parallel && isDeleteList) return result(original.filter((x) => !patch.some((p) => deepEqual(p, x))));
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.some((m) => deepEqual(m, v))) merged.push(v);
    key = '';
  } else {
    if (!key) throw badPatch('cannot merge lists without merge key');
    let replaced = false;
    const rest: JsonMap[] = [];
    for (const v of patch as JsonMap[]) {
      if (!Object.hasOwn(v, DIRECTIVE)) {
        rest.push(v);
        continue;
      }
      const d = v[DIRECTIVE];
      if (d === 'delete') {
        if (!Object.hasOwn(v, key)) throw noMergeKey(v, key);
        original = original.filter((x) => !deepEqual(identity(x, key), v[key]));
      } else if (d === 'replace') replaced = true;
      else if (d === 'merge') throw badPatch('merging lists cannot yet be specified in the patch');
      else throw badPatch(`unknown patch type: ${String(d)} in map: ${goFormat(v)}`);
    }
    if (replaced) return result(fresh(rest, o) as unknown[]);
    patchItems = rest;
    merged = [...original];
    for (const v of rest) {
      if (!Object.hasOwn(v, key)) throw noMergeKey(v, key);
      const i = merged.findIndex((x) => isMap(x) && deepEqual(x[key], v[key]));
      if (i >= 0) merged[i] = mergeMap(merged[i] as JsonMap, v, schema, o);
      else merged.push(fresh(v, o));
    }
  }
  const [fromPatch, serverOnly] = partition(merged, patchItems, key);
  const ordered = normalizeElementOrder(fromPatch, serverOnly, patchItems, original, key);
  return result(ordered, kind === 'map' ? merged.slice(0, n) : original);
}
