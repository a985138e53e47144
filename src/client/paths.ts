// URL paths and query strings of the Kubernetes REST API for one ResourceType: core kinds
// under /api/v1, grouped kinds under /apis/<group>/<version>. Pure functions, no I/O.
// Like client-go's request builder, a name or namespace that cannot stand as one path segment
// ('.', '..', holding '/' or '%', or empty) is refused here, before anything is sent.
import type { ResourceType } from '../api/resources.ts';
import { isValidPathSegmentName } from '../api/validation/names.ts';
import { UserError } from '../lib/errors.ts';
import { goQuote } from '../lib/go-quote.ts';

export interface PathParts {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** client-go's checks (rest.Request.Name / Namespace), with kubectl's words: `invalid resource name "..": [may not be '..']`. */
export function checkPathName(what: 'resource name' | 'namespace', value: string): void {
  if (value === '') throw new UserError(`${what} may not be empty`);
  const msgs = isValidPathSegmentName(value);
  if (msgs.length > 0) throw new UserError(`invalid ${what} ${goQuote(value)}: [${msgs.join(' ')}]`);
}

export function resourcePath(r: ResourceType, p: PathParts = {}): string {
  if (r.namespaced && p.namespace) checkPathName('namespace', p.namespace);
  if (p.name !== undefined) checkPathName('resource name', p.name);
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  let path = base;
  if (r.namespaced && p.namespace) path += `/namespaces/${encodeURIComponent(p.namespace)}`;
  path += `/${r.plural}`;
  if (p.name !== undefined) path += `/${encodeURIComponent(p.name)}`;
  if (p.subresource) path += `/${p.subresource}`;
  return path;
}

/** Query string from defined values only, in the order given; '' when nothing is set. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
