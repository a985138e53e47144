// The request listener: bearer-token authentication (authn.ts), routing, body reading, and
// turning whatever a handler throws into a Kubernetes Status answer (ApiError → its Status;
// anything else → 500 InternalError, logged once).
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { serveUpgrade, type PodStreamBackends } from './handlers/pods.ts';
import { ApiError, errors } from '../api/status.ts';
import type { ServerContext } from './context.ts';
import { dispatch } from './dispatch.ts';
import { readBody, send, sendError } from './http.ts';
import { PUBLIC_PATHS, raw } from './raw.ts';
import { parseTarget, route } from './routes.ts';
import { authenticator } from './authn.ts';

export interface HandlerOptions {
  token: string;
  serverAddress: string;
  bookmarkIntervalMs: number;
  streams: PodStreamBackends;
  /** Access log: one line per finished request (`GET /api/v1/pods 200 1.2ms`). */
  log?: (line: string) => void;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function handler(ctx: ServerContext, opts: HandlerOptions) {
  const authenticate = authenticator(ctx, opts.token);
  const watchOpts = { bookmarkIntervalMs: opts.bookmarkIntervalMs, streams: opts.streams };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (opts.log) {
      const log = opts.log;
      const t0 = performance.now();
      res.once('close', () => log(`${req.method} ${req.url} ${res.statusCode} ${(performance.now() - t0).toFixed(1)}ms`));
    }
    try {
      // The raw target, never `new URL()`: it would resolve `configmaps/..` to the namespace.
      const url = parseTarget(req.url ?? '/');
      const method = req.method ?? 'GET';
      const user = PUBLIC_PATHS.has(url.path) ? undefined : authenticate(req.headers.authorization);
      if (!PUBLIC_PATHS.has(url.path) && !user) throw errors.unauthorized();
      const rt = route(url.path);
      if (rt.type !== 'resource') {
        if (method !== 'GET' && method !== 'HEAD') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
        return send(res, raw(rt, req.headers.accept, opts.serverAddress));
      }
      const body = WITH_BODY.has(method) ? await readBody(req) : undefined;
      const out = dispatch(
        ctx,
        { method, r: rt.r, namespace: rt.namespace, name: rt.name, sub: rt.sub, query: url.query, headers: req.headers, body, user },
        res,
        watchOpts,
        rt.watchPath,
      );
      const reply = out instanceof Promise ? await out : out;
      if (reply) send(res, reply);
    } catch (e) {
      const err = toApiError(e, `${req.method} ${req.url}`);
      if (res.headersSent) res.end();
      else sendError(res, err);
    }
  };
}

function toApiError(e: unknown, what: string): ApiError {
  if (e instanceof ApiError) return e;
  console.error(`apiserver: ${what}:`, e);
  return errors.internal(e instanceof Error ? e.message : String(e));
}

/** HTTP upgrades: exec, attach and port-forward on pods (WebSocket or SPDY/3.1). */
export function upgradeHandler(ctx: ServerContext, opts: HandlerOptions) {
  const authenticate = authenticator(ctx, opts.token);
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    try {
      const url = parseTarget(req.url ?? '/');
      if (!authenticate(req.headers.authorization)) throw errors.unauthorized();
      const rt = route(url.path);
      if (rt.type !== 'resource' || rt.r.kind !== 'Pod' || !rt.name || !rt.sub) throw errors.badRequest('upgrade is only served on pods/exec, pods/attach and pods/portforward');
      serveUpgrade(ctx, { method: req.method ?? 'GET', r: rt.r, namespace: rt.namespace, name: rt.name, sub: rt.sub, query: url.query, headers: req.headers }, req, socket, head, opts.streams);
    } catch (e) {
      const err = toApiError(e, `upgrade ${req.url}`);
      const body = JSON.stringify(err.toStatus());
      socket.end(`HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
  };
}
