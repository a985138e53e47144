// Small JSON helpers shared by the patch engines: type tests, deep equality, deep copy, and
// the two ways a patch can fail (Kubernetes' 400 and 422 answers).
import { ApiError, errors } from '../api/status.ts';

export type JsonMap = Record<string, unknown>;

export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON type of a value, the way Go's reflect.TypeOf tells decoded JSON values apart. */
export function jsonType(v: unknown): 'null' | 'map' | 'list' | 'string' | 'number' | 'bool' | 'undefined' {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  return 'bool';
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

/** Go's `fmt.Sprintf("%v")` of a merge key value, used to sort and compare list items. */
export function keyString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Go's `%v` of a decoded JSON value (`map[image:x name:a]`, `[a b]`), as patch errors quote them. */
export function goFormat(v: unknown): string {
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  return v === null || v === undefined ? '<nil>' : String(v);
}

/**
 * 422 as the API server answers a patch that cannot be applied (failed `test`, missing path,
 * lists of lists): Kubernetes keeps only its generic text; the detail rides on `cause` for logs.
 */
export function unprocessable(detail: string): ApiError {
  const e = new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  e.cause = new Error(detail);
  return e;
}

/** 400 with the patch library's own message (malformed patch documents, bad directives). */
export function badPatch(message: string): ApiError {
  return errors.badRequest(message);
}
