// The request listener: bearer-token authentication, routing, body reading, and turning
// whatever a handler throws into a Kubernetes Status answer (ApiError → its Status; anything
// else → 500 InternalError, logged once).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../api/status.ts';
import type { ServerContext } from './context.ts';
import { dispatch } from './dispatch.ts';
import { readBody, send, sendError } from './http.ts';
import { PUBLIC_PATHS, raw } from './raw.ts';
import { route } from './routes.ts';

export interface HandlerOptions { token: string; serverAddress: string; bookmarkIntervalMs: number }

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function handler(ctx: ServerContext, opts: HandlerOptions) {
  const expected = `Bearer ${opts.token}`;
  const watchOpts = { bookmarkIntervalMs: opts.bookmarkIntervalMs };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const method = req.method ?? 'GET';
      if (req.headers.authorization !== expected && !PUBLIC_PATHS.has(url.pathname)) throw errors.unauthorized();
      const rt = route(url.pathname);
      if (rt.type !== 'resource') {
        if (method !== 'GET' && method !== 'HEAD') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
        return send(res, raw(rt, req.headers.accept, opts.serverAddress));
      }
      const body = WITH_BODY.has(method) ? await readBody(req) : undefined;
      const reply = dispatch(
        ctx,
        { method, r: rt.r, namespace: rt.namespace, name: rt.name, sub: rt.sub, query: url.searchParams, headers: req.headers, body },
        res,
        watchOpts,
        rt.watchPath,
      );
      if (reply) send(res, reply);
    } catch (e) {
      let err: ApiError;
      if (e instanceof ApiError) err = e;
      else {
        console.error(`apiserver: ${req.method} ${req.url}:`, e);
        err = errors.internal(e instanceof Error ? e.message : String(e));
      }
      if (res.headersSent) res.end();
      else sendError(res, err);
    }
  };
}
