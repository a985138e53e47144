// One request to a resource path → the handler for its method and subresource. Raw paths
// (discovery, health, version, openapi) are answered in raw.ts.
import type { ServerResponse } from 'node:http';
import { errors } from '../api/status.ts';
import type { ResourceRequest, ServerContext } from './context.ts';
import { notFoundPath } from './routes.ts';
import type { Reply } from './http.ts';
import { getOne, list } from './handlers/read.ts';
import { create, patch, update } from './handlers/write.ts';
import { deleteCollection, deleteOne } from './handlers/delete.ts';
import { scale } from './handlers/scale.ts';
import { serveWatch, type WatchOptions } from './watch.ts';
import { serveLogs, type PodStreamBackends } from './handlers/pods.ts';
import { ApiError } from '../api/status.ts';
import { listOptions } from './list-options.ts';
import { dispatchConverted } from './versions.ts';
import { tokenRequest } from './tokens/token-request.ts';
import { review } from './handlers/reviews.ts';
import { DEFAULT_SERVICE_ACCOUNT } from '../api/serviceaccounts.ts';
import { ServiceAccountMissing } from './admission-serviceaccount.ts';

const notAllowed = () => errors.methodNotAllowed('the server does not allow this method on the requested resource');

export interface DispatchOptions extends WatchOptions { streams: PodStreamBackends }

/**
 * A pod whose namespace has no `default` account yet (the controller makes it at once, but a
 * namespace made a moment ago may not have it): tried again ten times 100–200 ms apart, as the
 * ServiceAccount admission plugin does, before its 403.
 */
async function createPod(ctx: ServerContext, req: ResourceRequest): Promise<Reply> {
  for (let attempt = 1; ; attempt++) {
    try {
      return create(ctx, req);
    } catch (e) {
      if (!(e instanceof ServiceAccountMissing) || e.account !== DEFAULT_SERVICE_ACCOUNT || attempt >= 10) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 100));
    }
  }
}

/** Answers a resource request; undefined (or a promise) when the handler writes a stream itself (watch, logs). */
export function dispatch(ctx: ServerContext, req: ResourceRequest, res: ServerResponse, watchOpts: DispatchOptions, watchPath: boolean): Reply | Promise<Reply | void> | undefined {
  // an old version (v1beta1 Ingress): converted to and from the stored one
  if (req.r.convert) return dispatchConverted(ctx, req, res, watchOpts, watchPath, dispatch);
  if (req.r.virtual) return review(req);
  const { method, name, sub, r } = req;
  // GETs and collection DELETEs carry ListOptions: a malformed number or bool is a 400 here.
  const lo = method === 'GET' || (method === 'DELETE' && name === undefined) ? listOptions(req.query) : undefined;
  const watch = watchPath || lo?.watch === true;
  if (watch) {
    if (method !== 'GET' || sub) throw notAllowed();
    serveWatch(ctx, req, res, watchOpts);
    return undefined;
  }
  if (name === undefined) {
    const allNamespaces = r.namespaced && req.namespace === undefined;
    switch (method) {
      case 'GET': return list(ctx, req);
      case 'POST': if (allNamespaces) throw notAllowed(); return r.kind === 'Pod' ? createPod(ctx, req) : create(ctx, req);
      case 'DELETE': if (allNamespaces || !r.verbs.includes('deletecollection')) throw notAllowed(); return deleteCollection(ctx, req);
      default: throw notAllowed();
    }
  }
  const named = { ...req, name };
  if (sub === undefined || sub === 'status') {
    switch (method) {
      case 'GET': return getOne(ctx, named);
      case 'PUT': return update(ctx, named);
      case 'PATCH': return patch(ctx, named);
      case 'DELETE': if (sub) throw notAllowed(); return deleteOne(ctx, named);
      default: throw notAllowed();
    }
  }
  if (sub === 'scale') return scale(ctx, named);
  if (r.kind === 'ServiceAccount' && sub === 'token') return tokenRequest(ctx, named, ctx.signingKey);
  if (r.kind === 'Pod' && sub === 'log') {
    if (method !== 'GET') throw notAllowed();
    return serveLogs(ctx, named, res, watchOpts.streams.logs);
  }
  if (r.kind === 'Pod' && (sub === 'exec' || sub === 'attach' || sub === 'portforward')) throw new ApiError(400, 'BadRequest', 'Upgrade request required');
  throw notFoundPath();
}
