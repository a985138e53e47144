// Answers for the non-resource paths: health, /version, discovery documents and OpenAPI.
import { openapiV2 } from '../api/openapi.ts';
import type { Reply } from './http.ts';
import { acceptsPlainJson, notAcceptable } from './negotiate.ts';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, VERSION } from './discovery.ts';
import { notFoundPath, type Route } from './routes.ts';

let openapiCache: string | undefined;

export const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export function raw(route: Exclude<Route, { type: 'resource' }>, accept: string | undefined, serverAddress: string): Reply {
  if (route.type === 'group') return discovery(accept, apiGroupDoc(route.group));
  if (route.type === 'groupVersion') return discovery(accept, apiResourceList(route.group, route.version));
  switch (route.path) {
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
      throw notFoundPath();
  }
}

/** Legacy discovery only: an Accept asking solely for aggregated discovery gets 406. */
function discovery(accept: string | undefined, doc: object): Reply {
  if (!acceptsPlainJson(accept)) throw notAcceptable();
  return { code: 200, body: doc };
}
