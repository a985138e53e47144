// The numeric and boolean query parameters of list, watch and deletecollection (metav1
// ListOptions), parsed as kube-apiserver's parameter codec parses them: a value that is not a
// number or a bool is a 400 with Go's strconv message, never a default that makes a watch
// run forever. Selectors are parsed in selectors.ts.
import { errors } from '../api/status.ts';

export interface ListOptions {
  watch: boolean;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  limit?: number;
  /** '' when not given; otherwise a decimal revision. */
  resourceVersion: string;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool. */
function bool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === '') return false;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** strconv.ParseInt(v, 10, 64). */
function int64(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return n;
}

export function listOptions(q: URLSearchParams): ListOptions {
  const resourceVersion = q.get('resourceVersion') ?? '';
  if (resourceVersion !== '' && !/^\d+$/.test(resourceVersion)) throw errors.badRequest(`invalid resource version: ${resourceVersion}`);
  const out: ListOptions = { watch: bool(q, 'watch'), allowWatchBookmarks: bool(q, 'allowWatchBookmarks'), resourceVersion };
  const timeoutSeconds = int64(q, 'timeoutSeconds');
  if (timeoutSeconds !== undefined) out.timeoutSeconds = timeoutSeconds;
  const limit = int64(q, 'limit');
  if (limit !== undefined) out.limit = limit;
  return out;
}
