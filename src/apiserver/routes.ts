// URL → what is addressed: a discovery document or a resource path. Resource paths follow
// Kubernetes: /api/v1/... (core) and /apis/<group>/<version>/..., with
// [watch/][namespaces/<ns>/]<plural>[/<name>[/<subresource>]]. Namespaces themselves are
// /api/v1/namespaces/<name>[/status|/finalize].
import { byPlural, GROUP_VERSIONS, RESOURCES, type ResourceType } from '../api/resources.ts';
import { ApiError } from '../api/status.ts';

export type Route =
  | { type: 'raw'; path: string }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'resource'; r: ResourceType; namespace?: string; name?: string; sub?: string; watchPath: boolean };

export const notFoundPath = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource');

const GROUPS = new Set(RESOURCES.map((r) => r.group));

export function route(pathname: string): Route {
  const segs = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { type: 'raw', path: '/api' };
    group = '';
    version = segs[1];
    rest = segs.slice(2);
    if (!GROUP_VERSIONS.includes(version)) throw notFoundPath();
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { type: 'raw', path: '/apis' };
    group = segs[1];
    if (!GROUPS.has(group) || group === '') throw notFoundPath();
    if (segs.length === 2) return { type: 'group', group };
    version = segs[2];
    if (!GROUP_VERSIONS.includes(`${group}/${version}`)) throw notFoundPath();
    rest = segs.slice(3);
  } else {
    return { type: 'raw', path: '/' + segs.join('/') };
  }
  if (rest.length === 0) return { type: 'groupVersion', group, version };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const nsr = byPlural(group, version, rest[2]);
    if (nsr && nsr.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const r = byPlural(group, version, rest[0]);
  if (!r || rest.length > 3) throw notFoundPath();
  if (namespace === undefined && r.namespaced && rest.length > 1) throw notFoundPath();
  const name = rest[1];
  const sub = rest[2];
  if (sub !== undefined && !r.subresources.includes(sub) && !(r.kind === 'Namespace' && sub === 'finalize')) throw notFoundPath();
  return { type: 'resource', r, namespace, name, sub, watchPath };
}
