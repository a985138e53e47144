// URL → what is addressed: a discovery document or a resource path. Resource paths follow
// Kubernetes: /api/v1/... (core) and /apis/<group>/<version>/..., with
// [watch/][namespaces/<ns>/]<plural>[/<name>[/<subresource>]]. Namespaces themselves are
// /api/v1/namespaces/<name>[/status|/finalize].
//
// Paths are read raw, as sent: split on '/' first, then each segment decoded, never normalised
// (no '.'/'..' resolution), so `configmaps/..` or `configmaps/%2e%2e` is a name, and a name or
// namespace that is not a valid path segment ('.', '..', or holding '/' or '%') is refused with
// kube-apiserver's 400 before anything is looked up.
import { byPlural, GROUP_VERSIONS, RESOURCES, type ResourceType } from '../api/resources.ts';
import { ApiError, errors } from '../api/status.ts';
import { isValidPathSegmentName } from '../api/validation/names.ts';
import { goQuote } from '../lib/go-quote.ts';

export type Route =
  | { type: 'raw'; path: string }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'resource'; r: ResourceType; namespace?: string; name?: string; sub?: string; watchPath: boolean };

export const notFoundPath = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource');

const GROUPS = new Set(RESOURCES.map((r) => r.group));

/** The request target (`req.url`) as its raw path and its query; an absolute-form target loses its scheme and host. */
export function parseTarget(target: string): { path: string; query: URLSearchParams } {
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i.exec(target);
  const rest = abs ? target.slice(abs[0].length) : target;
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(q < 0 ? '' : rest.slice(q + 1)) };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw errors.badRequest(`invalid URL escape ${goQuote(/%.{0,2}/.exec(s.slice(s.search(/%(?![0-9a-fA-F]{2})/)))?.[0] ?? s)}`);
  }
}

/** Raw path → decoded segments: outer slashes trimmed; an empty segment inside matches nothing. */
function segments(rawPath: string): string[] {
  const trimmed = rawPath.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return [];
  const parts = trimmed.split('/');
  if (parts.includes('')) throw notFoundPath();
  return parts.map(decodeSegment);
}

/** kube-apiserver's key-function check (registry/generic/registry/store.go), for names and namespaces alike. */
function checkSegment(what: 'Name' | 'Namespace', value: string): void {
  const msgs = isValidPathSegmentName(value);
  if (msgs.length > 0) throw errors.badRequest(`${what} parameter invalid: ${goQuote(value)}: ${msgs.join(';')}`);
}

/** Resolves a raw (undecoded, unnormalised) request path. */
export function route(rawPath: string): Route {
  const segs = segments(rawPath);
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
  if (!r) throw notFoundPath();
  if (namespace !== undefined) checkSegment('Namespace', namespace);
  const name = rest[1];
  if (name !== undefined) checkSegment('Name', name);
  if (rest.length > 3) throw notFoundPath();
  if (namespace === undefined && r.namespaced && rest.length > 1) throw notFoundPath();
  const sub = rest[2];
  if (sub !== undefined && !r.subresources.includes(sub) && !(r.kind === 'Namespace' && sub === 'finalize')) throw notFoundPath();
  return { type: 'resource', r, namespace, name, sub, watchPath };
}
