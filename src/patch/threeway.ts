// The three-way strategic patch `kubectl apply` sends (apimachinery CreateThreeWayMergePatch):
// the changes from the live object to the new config (no deletions), combined with the
// deletions from the last-applied config to the new one (no changes). Fields someone else set
// on the live object and that were never in the config are left alone.
import { lookup, schemaForKind, type Schema } from './schema.ts';
import { COMBINE, DELETE_FROM, DIRECTIVE, RETAIN_KEYS, SET_ORDER, mergeMap } from './strategic.ts';
import { identity } from './order.ts';
import { badPatch, clone, deepEqual, goFormat, isMap, jsonType, keyString, type JsonMap } from './util.ts';

interface DiffOptions {
  ignoreDeletions: boolean;
  ignoreChangesAndAdditions: boolean;
  /** Emit `$retainKeys` for this map (its field has the retainKeys strategy). */
  retainKeys: boolean;
}

/** The strategic patch that turns `original` into `modified` (within the options' limits). */
export function diffMaps(original: JsonMap, modified: JsonMap, schema: Schema, d: DiffOptions): JsonMap {
  const patch: JsonMap = {};
  const retain: string[] = [];
  for (const [key, mv] of Object.entries(modified)) {
    if (d.retainKeys && mv !== null) retain.push(key);
    if (!Object.hasOwn(original, key) || jsonType(original[key]) !== jsonType(mv)) {
      if (!d.ignoreChangesAndAdditions) patch[key] = mv;
      continue;
    }
    const ov = original[key];
    const { meta, sub } = lookup(schema, key);
    if (isMap(ov)) {
      if (meta.strategy === 'replace') {
        if (!d.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[key] = mv;
        continue;
      }
      const child = diffMaps(ov, mv as JsonMap, sub, { ...d, retainKeys: !!meta.retainKeys });
      if (Object.keys(child).length > 0) patch[key] = child;
    } else if (Array.isArray(ov) && meta.strategy === 'merge') {
      const [adds, deletes, order] = diffLists(ov, mv as unknown[], sub, meta.key ?? '', { ...d, retainKeys: !!meta.retainKeys });
      if (adds.length > 0) patch[key] = adds;
      if (deletes.length > 0) patch[DELETE_FROM + key] = deletes;
      if (order.length > 0) patch[SET_ORDER + key] = order;
    } else if (!d.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[key] = mv;
  }
  if (!d.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  }
  const dropsFields = Object.entries(original).some(([k, v]) => v !== null && !Object.hasOwn(modified, k));
  if (retain.length > 0 && (Object.keys(patch).length > 0 || dropsFields)) patch[RETAIN_KEYS] = retain.sort();
  return patch;
}

function byKeyString(a: unknown, b: unknown): number {
  const x = keyString(a);
  const y = keyString(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sorts `items` by their position in `order` (all of them are in it). */
function inOrderOf(items: unknown[], order: unknown[], key: string): unknown[] {
  const pos = (it: unknown) => order.findIndex((o) => deepEqual(identity(o, key), identity(it, key)));
  return [...items].sort((a, b) => pos(a) - pos(b));
}

/** [patch list, `$deleteFromPrimitiveList` list, `$setElementOrder` list] for a merge list. */
function diffLists(original: unknown[], modified: unknown[], schema: Schema, key: string, d: DiffOptions): [unknown[], unknown[], unknown[]] {
  if (original.length === 0) return [modified.length === 0 || d.ignoreChangesAndAdditions ? [] : modified, [], []];
  const all = [...original, ...modified];
  if (all.some((v) => Array.isArray(v))) throw badPatch('lists of lists are not supported');
  const maps = isMap(all[0]);
  if (!maps) {
    const has = (list: unknown[], v: unknown) => list.some((x) => keyString(x) === keyString(v));
    const uniq = (list: unknown[]) => list.filter((v, i) => list.findIndex((x) => keyString(x) === keyString(v)) === i);
    const adds = d.ignoreChangesAndAdditions ? [] : uniq(modified).filter((v) => !has(original, v));
    const deletes = d.ignoreDeletions ? [] : uniq(original).filter((v) => !has(modified, v)).sort(byKeyString);
    // apimachinery sorts `original` in place before this comparison, so an unsorted list in the
    // new config always carries its order; kubectl's patches show it, and so do these.
    const sortedOriginal = [...original].sort(byKeyString);
    const changed = (!d.ignoreDeletions && deletes.length > 0) || (!d.ignoreChangesAndAdditions && !deepEqual(sortedOriginal, modified));
    return [inOrderOf(adds, modified, ''), deletes, changed ? modified : []];
  }
  for (const it of all) if (!isMap(it) || !Object.hasOwn(it, key)) throw badPatch(`map: ${goFormat(it)} does not contain declared merge key: ${key}`);
  const find = (list: unknown[], v: unknown) => (list as JsonMap[]).find((x) => keyString(x[key]) === keyString((v as JsonMap)[key]));
  const changes: unknown[] = [];
  for (const m of modified as JsonMap[]) {
    const o = find(original, m);
    if (!o) {
      if (!d.ignoreChangesAndAdditions) changes.push(m);
      continue;
    }
    const child = diffMaps(o, m, schema, d);
    if (Object.keys(child).length > 0) changes.push({ ...child, [key]: m[key] });
  }
  const deletes = d.ignoreDeletions
    ? []
    : (original as JsonMap[])
        .filter((o) => !find(modified, o))
        .sort((a, b) => byKeyString(a[key], b[key]))
        .map((o) => ({ [DIRECTIVE]: 'delete', [key]: o[key] }));
  const patchList = [...inOrderOf(changes, modified, key), ...deletes];
  const orderSame = original.length === modified.length && original.every((o, i) => deepEqual((o as JsonMap)[key], (modified[i] as JsonMap)[key]));
  const wantOrder = (!d.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) || (!d.ignoreDeletions && patchList.length > 0);
  return [patchList, [], wantOrder ? (modified as JsonMap[]).map((m) => ({ [key]: m[key] })) : []];
}

/**
 * The patch `kubectl apply` sends: fields of `lastApplied` missing from `modified` become
 * `null` (keyed list items `$patch: delete`, primitive list values
 * `$deleteFromPrimitiveList`), fields where `current` differs from `modified` take
 * `modified`'s value, list order comes as `$setElementOrder`.
 */
export function threeWayStrategicPatch(lastApplied: unknown, modified: unknown, current: unknown, kind: string): unknown {
  const schema = schemaForKind(kind);
  const asMap = (v: unknown): JsonMap => (isMap(v) ? clone(v) : {});
  const mod = asMap(modified);
  const delta = diffMaps(asMap(current), mod, schema, { ignoreDeletions: true, ignoreChangesAndAdditions: false, retainKeys: false });
  const deletions = diffMaps(asMap(lastApplied), mod, schema, { ignoreDeletions: false, ignoreChangesAndAdditions: true, retainKeys: false });
  return mergeMap(clone(deletions), clone(delta), schema, COMBINE);
}
