// JSON patch (RFC 6902) with JSON pointers (RFC 6901), as `kubectl patch --type=json` sends it.
// Failures carry the texts of the library the API server uses (evanphx/json-patch), e.g.
// `remove operation does not apply: doc is missing path: "/spec/foo": missing value`.
import { badPatch, clone, deepEqual, isMap, unprocessable } from './util.ts';

const MISSING = 'missing value';

type Parent = { container: Record<string, unknown> | unknown[]; key: string };

function decodeToken(t: string): string {
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The container holding the last token of `path`, or undefined when a step is missing. */
function findParent(doc: unknown, path: string): Parent | undefined {
  const split = path.split('/');
  if (split.length < 2 || split[0] !== '') return undefined;
  let cur: unknown = doc;
  for (const raw of split.slice(1, -1)) {
    const part = decodeToken(raw);
    if (Array.isArray(cur)) {
      const i = arrayIndex(part, cur.length - 1);
      if (i === undefined) return undefined;
      cur = cur[i];
    } else if (isMap(cur)) {
      if (!Object.hasOwn(cur, part)) return undefined;
      cur = cur[part];
    } else return undefined;
    if (!Array.isArray(cur) && !isMap(cur)) return undefined;
  }
  if (!Array.isArray(cur) && !isMap(cur)) return undefined;
  return { container: cur, key: decodeToken(split[split.length - 1]) };
}

function arrayIndex(token: string, max: number): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const i = Number(token);
  return i <= max ? i : undefined;
}

function invalidIndex(token: string): Error {
  return new Error(`Unable to access invalid index: ${token}: invalid index referenced`);
}

function get(p: Parent): { found: boolean; value?: unknown } {
  if (Array.isArray(p.container)) {
    const i = arrayIndex(p.key, p.container.length - 1);
    return i === undefined ? { found: false } : { found: true, value: p.container[i] };
  }
  return Object.hasOwn(p.container, p.key) ? { found: true, value: p.container[p.key] } : { found: false };
}

function add(p: Parent, value: unknown): void {
  if (Array.isArray(p.container)) {
    if (p.key === '-') {
      p.container.push(value);
      return;
    }
    const i = arrayIndex(p.key, p.container.length);
    if (i === undefined) throw invalidIndex(p.key);
    p.container.splice(i, 0, value);
  } else p.container[p.key] = value;
}

function remove(p: Parent): void {
  if (Array.isArray(p.container)) {
    const i = arrayIndex(p.key, p.container.length - 1);
    if (i === undefined) throw invalidIndex(p.key);
    p.container.splice(i, 1);
  } else {
    if (!Object.hasOwn(p.container, p.key)) throw new Error(`Unable to remove nonexistent key: ${p.key}: ${MISSING}`);
    delete p.container[p.key];
  }
}

function str(op: Record<string, unknown>, field: 'path' | 'from'): string | undefined {
  const v = op[field];
  return typeof v === 'string' ? v : undefined;
}

/** Applies one operation to `root` (a private copy) and returns the new root. */
function applyOp(root: { doc: unknown }, op: Record<string, unknown>): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const path = str(op, 'path');
  const value = Object.hasOwn(op, 'value') ? clone(op.value) : null;
  if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(kind)) throw new Error(`Unexpected kind: ${kind}`);
  if (path === undefined) throw new Error(`${kind} operation failed to decode path: ${MISSING}`);
  const wrap = (err: unknown, what: string) => new Error(`${what}: ${(err as Error).message}`);

  switch (kind) {
    case 'add': {
      if (path === '') { root.doc = value; return; }
      const p = findParent(root.doc, path);
      if (!p) throw new Error(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      try { add(p, value); } catch (e) { throw wrap(e, `error in add for path: '${path}'`); }
      return;
    }
    case 'remove': {
      const p = findParent(root.doc, path);
      if (!p) throw new Error(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      try { remove(p); } catch (e) { throw wrap(e, `error in remove for path: '${path}'`); }
      return;
    }
    case 'replace': {
      if (path === '') { root.doc = value; return; }
      const p = findParent(root.doc, path);
      if (!p) throw new Error(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
      if (!get(p).found) throw new Error(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
      if (Array.isArray(p.container)) p.container[Number(p.key)] = value;
      else p.container[p.key] = value;
      return;
    }
    case 'move':
    case 'copy': {
      const from = str(op, 'from');
      if (from === undefined) throw new Error(`${kind} operation failed to decode from: operation, missing from field: ${MISSING}`);
      const src = findParent(root.doc, from);
      if (!src) throw new Error(`${kind} operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      const got = get(src);
      if (!got.found) throw new Error(`error in ${kind} for path: '${src.key}': Unable to get nonexistent key: ${src.key}: ${MISSING}`);
      if (kind === 'move') remove(src);
      const dst = findParent(root.doc, path);
      if (!dst) throw new Error(`${kind} operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      try { add(dst, kind === 'copy' ? clone(got.value) : got.value); } catch (e) { throw wrap(e, `error in ${kind} for path: '${path}'`); }
      return;
    }
    case 'test': {
      if (path === '') {
        if (!deepEqual(root.doc, value)) throw new Error(`testing value ${path} failed: test failed`);
        return;
      }
      const p = findParent(root.doc, path);
      if (!p) throw new Error(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
      const got = get(p);
      const actual = got.found ? got.value : null;
      if (!deepEqual(actual ?? null, value)) throw new Error(`testing value ${path} failed: test failed`);
      return;
    }
  }
}

/**
 * Applies an RFC 6902 operation list to a copy of `target`. A document that is not a list of
 * operations is a 400; an operation that does not apply is a 422 with the detail on `cause`.
 */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badPatch(`json: cannot unmarshal ${ops === null ? 'null' : typeof ops === 'object' ? 'object' : typeof ops} into Go value of type jsonpatch.Patch`);
  for (const op of ops) {
    if (!isMap(op)) throw badPatch(`json: cannot unmarshal ${Array.isArray(op) ? 'array' : typeof op} into Go value of type jsonpatch.Operation`);
  }
  const root = { doc: clone(target) };
  for (const op of ops as Record<string, unknown>[]) {
    try {
      applyOp(root, op);
    } catch (e) {
      throw unprocessable((e as Error).message);
    }
  }
  return root.doc;
}
