// URL paths and query strings of the Kubernetes REST API for one ResourceType: core kinds
// under /api/v1, grouped kinds under /apis/<group>/<version>. Pure functions, no I/O.
import type { ResourceType } from '../api/resources.ts';

export interface PathParts {
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function resourcePath(r: ResourceType, p: PathParts = {}): string {
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
