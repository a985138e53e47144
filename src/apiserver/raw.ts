// Answers for the non-resource paths: health, /version, discovery documents and OpenAPI.
import { createHash } from 'node:crypto';
import { openapiV2, openapiV3, openapiV3Paths } from '../api/openapi.ts';
import type { Reply } from './http.ts';
import { acceptsPlainJson, notAcceptable } from './negotiate.ts';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, VERSION } from './discovery.ts';
import { notFoundPath, type Route } from './routes.ts';
import { GROUP_VERSIONS } from '../api/resources.ts';

let openapiCache: string | undefined;
const v3Cache = new Map<string, { text: string; hash: string }>();

/** One OpenAPI v3 group-version document, serialized once, with the hash its URL carries. */
function v3Doc(path: string): { text: string; hash: string } | undefined {
  let d = v3Cache.get(path);
  if (!d) {
    const doc = openapiV3(path);
    if (!doc) return undefined;
    const text = JSON.stringify(doc);
    d = { text, hash: createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase() };
    v3Cache.set(path, d);
  }
  return d;
}

function openapiV3Answer(path: string): Reply {
  if (path === '/openapi/v3') {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const p of openapiV3Paths()) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${v3Doc(p)!.hash}` };
    return { code: 200, body: { paths } };
  }
  const d = v3Doc(path.slice('/openapi/v3/'.length));
  if (!d) throw notFoundPath();
  return { code: 200, body: d.text };
}

export const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export function raw(route: Exclude<Route, { type: 'resource' }>, accept: string | undefined, serverAddress: string): Reply {
  if (route.type === 'group') return discovery(accept, apiGroupDoc(route.group));
  if (route.type === 'groupVersion') return discovery(accept, apiResourceList(route.group, route.version));
  switch (route.path) {
    case '/':
      return { code: 200, body: { paths: rootPaths() } };
    case '/healthz':
    case '/livez':
    case '/readyz':
      return { code: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
    case '/version':
      return { code: 200, body: VERSION };
    case '/api':
      return discovery(accept, apiVersions(serverAddress));
    case '/apis':
      return discovery(accept, apiGroupList());
    case '/openapi/v2':
      if (acceptsPlainJson(accept)) {
        openapiCache ??= JSON.stringify(openapiV2());
        return { code: 200, body: openapiCache };
      }
      return { code: 200, body: '', contentType: 'application/octet-stream' };
    default:
      if (route.path === '/openapi/v3' || route.path.startsWith('/openapi/v3/')) return openapiV3Answer(route.path);
      throw notFoundPath();
  }
}

function rootPaths(): string[] {
  const gvs = GROUP_VERSIONS.map((gv) => (gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`));
  const groups = [...new Set(GROUP_VERSIONS.filter((gv) => gv.includes('/')).map((gv) => `/apis/${gv.split('/')[0]}`))];
  return ['/api', ...gvs.filter((p) => p.startsWith('/api/')), '/apis', ...groups, ...gvs.filter((p) => p.startsWith('/apis/')), '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'];
}

/** Legacy discovery only: an Accept asking solely for aggregated discovery gets 406. */
function discovery(accept: string | undefined, doc: object): Reply {
  if (!acceptsPlainJson(accept)) throw notAcceptable();
  return { code: 200, body: doc };
}
