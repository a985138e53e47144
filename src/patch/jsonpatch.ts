// JSON patch (RFC 6902) with JSON pointers (RFC 6901), as `kubectl patch --type=json` sends it.
// Failures carry the texts of the library the API server uses (evanphx/json-patch), e.g.
// `remove operation does not apply: doc is missing path: "/spec/foo": missing value`, and its
// leniencies: `replace` of a missing member adds it, `copy` of one copies null, indexes may be negative.
import { badPatch, clone, deepEqual, isMap, unprocessable } from './util.ts';

const MISSING = 'missing value';

type Parent = { container: Record<string, unknown> | unknown[]; key: string };

function decodeToken(t: string): string {
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

class IndexError extends Error {}

/** An array position as evanphx/json-patch v4 reads it: negative counts from the end. */
function arrayIndex(token: string, length: number): number {
  if (!/^[+-]?[0-9]+$/.test(token)) throw new IndexError(`strconv.Atoi: parsing "${token}": invalid syntax`);
  const raw = Number(token);
  const i = raw < 0 && raw >= -length ? raw + length : raw;
  if (i < 0 || i >= length) throw new IndexError(`Unable to access invalid index: ${raw}: invalid index referenced`);
  return i;
}

/** The value at `key`: a missing map member reads as null, a bad array index throws. */
function get(p: Parent): unknown {
  if (Array.isArray(p.container)) return p.container[arrayIndex(p.key, p.container.length)];
  return Object.hasOwn(p.container, p.key) ? p.container[p.key] : null;
}

/** The container holding the last token of `path`, or undefined when a step is missing. */
function findParent(doc: unknown, path: string): Parent | undefined {
  const split = path.split('/');
  if (split.length < 2 || !(Array.isArray(doc) || isMap(doc))) return undefined;
  let cur: Record<string, unknown> | unknown[] = doc;
  for (const raw of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = get({ container: cur, key: decodeToken(raw) });
    } catch {
      return undefined;
    }
    if (!Array.isArray(next) && !isMap(next)) return undefined;
    cur = next;
  }
  return { container: cur, key: decodeToken(split[split.length - 1]) };
}

function add(p: Parent, value: unknown): void {
  if (!Array.isArray(p.container)) {
    p.container[p.key] = value;
    return;
  }
  if (p.key === '-') {
    p.container.push(value);
    return;
  }
  // Insertion positions run to the new length, so a negative index counts from it.
  p.container.splice(arrayIndex(p.key, p.container.length + 1), 0, value);
}

function remove(p: Parent): void {
  if (Array.isArray(p.container)) {
    p.container.splice(arrayIndex(p.key, p.container.length), 1);
    return;
  }
  if (!Object.hasOwn(p.container, p.key)) throw new Error(`Unable to remove nonexistent key: ${p.key}: ${MISSING}`);
  delete p.container[p.key];
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
      if (Array.isArray(p.container)) {
        let i: number;
        try { i = arrayIndex(p.key, p.container.length); } catch { throw new Error(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`); }
        p.container[i] = value;
      } else p.container[p.key] = value;
      return;
    }
    case 'move':
    case 'copy': {
      const from = str(op, 'from');
      if (from === undefined) throw new Error(`${kind} operation failed to decode from: operation, missing from field: ${MISSING}`);
      const src = findParent(root.doc, from);
      if (!src) throw new Error(`${kind} operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      let val: unknown;
      try {
        val = get(src);
        if (kind === 'move') remove(src);
      } catch (e) {
        throw kind === 'move' ? wrap(e, `error in move for path: '${src.key}'`) : wrap(e, `error in copy for from: '${from}'`);
      }
      const dst = findParent(root.doc, path);
      if (!dst) throw new Error(`${kind} operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      try { add(dst, kind === 'copy' ? clone(val) : val); } catch (e) { throw wrap(e, kind === 'copy' ? 'error while adding value during copy' : `error in move for path: '${path}'`); }
      return;
    }
    case 'test': {
      if (path === '') {
        if (!deepEqual(root.doc, value)) throw new Error(`testing value ${path} failed: test failed`);
        return;
      }
      const p = findParent(root.doc, path);
      if (!p) throw new Error(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
      let actual: unknown;
      try { actual = get(p); } catch (e) { throw wrap(e, `error in test for path: '${path}'`); }
      if (!deepEqual(actual, value)) throw new Error(`testing value ${path} failed: test failed`);
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
