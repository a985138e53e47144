// The listeners: HTTP on host:httpPort (80 in a node; h1-server.ts's lean HTTP/1.x server) and
// HTTPS on host:httpsPort (443) with HTTP/2 offered by ALPN and HTTP/1.1 kept (node:http2's
// allowHTTP1), the certificate chosen by SNI. Every request, and every HTTP/1.1 Upgrade, becomes an Exchange and runs down the handler
// chain host → app-root → path → ssl-redirect → allowlist → rewrite → upstream (404 past it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Server } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import tls from 'node:tls';
import { createH1Server, type H1Request } from './h1-server.ts';
import { AllowlistHandler, AppRootHandler, HostHandler, PathHandler, RewriteHandler, SslRedirectHandler } from './handlers.ts';
import { notFound } from './pages.ts';
import { requestHost, splitTarget } from './paths.ts';
import type { IngressState } from './state.ts';
import { chain, type Exchange, type Next, type Responder } from './types.ts';
import { Upstream, type UpstreamOptions } from './upstream.ts';

export interface IngressServerOptions {
  /** the address to listen on (the node IP) */
  host: string;
  /** default 80; 0 picks one */
  httpPort?: number;
  /** default 443; 0 picks one */
  httpsPort?: number;
  state: IngressState;
  /** the default certificate (PEM), served when no Secret covers the name asked */
  fallbackCert: { certPem: string; keyPem: string };
  upstream?: UpstreamOptions;
  onError?: (e: unknown) => void;
}

export interface IngressServer {
  host: string;
  httpPort: number;
  httpsPort: number;
  close(): Promise<void>;
}

type AnyRequest = IncomingMessage | Http2ServerRequest;

function exchange(req: AnyRequest, scheme: 'http' | 'https', serverPort: number): Exchange {
  const [path, query] = splitTarget(req.url);
  const hostHeader = (req.headers[':authority'] as string | undefined) ?? req.headers.host ?? '';
  return {
    method: req.method ?? 'GET', headers: req.headers, body: req as unknown as Readable, scheme, serverPort,
    clientIP: req.socket?.remoteAddress ?? '', hostHeader, host: requestHost(hostHeader), path, query,
  };
}

function h1Exchange(req: H1Request, serverPort: number): Exchange {
  const [path, query] = splitTarget(req.url);
  const headers = req.headers;
  const hostHeader = headers.host ?? '';
  return {
    method: req.method, headers, get body() { return req.body; }, scheme: 'http', serverPort,
    clientIP: req.socket.remoteAddress ?? '', hostHeader, host: requestHost(hostHeader), path, query,
  };
}

/** The handler chain of the router, in order (exported for tests and the README's list). */
export function router(state: IngressState, upstream: Upstream): Next {
  const table = () => state.table();
  return chain([
    new HostHandler(table),
    new AppRootHandler(),
    new PathHandler(table),
    new SslRedirectHandler(table),
    new AllowlistHandler(),
    new RewriteHandler(),
    upstream,
  ], notFound);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(s: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((r) => {
    if (!s.listening) return r();
    s.close(() => r());
    s.closeAllConnections?.();
  });
}

export async function startIngressServer(o: IngressServerOptions): Promise<IngressServer> {
  const onError = o.onError ?? (() => {});
  o.state.certs.fallback = tls.createSecureContext({ cert: o.fallbackCert.certPem, key: o.fallbackCert.keyPem });
  const upstream = new Upstream(o.upstream);
  const handle = router(o.state, upstream);
  const sessions = new Set<http2.ServerHttp2Session>();
  const sockets = new Set<Duplex>();
  let httpPort = o.httpPort ?? 80;
  let httpsPort = o.httpsPort ?? 443;

  const serve = (scheme: 'http' | 'https', port: () => number) => (req: AnyRequest, res: ServerResponse | Http2ServerResponse) => {
    const x = exchange(req, scheme, port());
    x.res = res as unknown as Responder;
    try { handle(x); } catch (e) { onError(e); if (!res.headersSent) x.res.writeHead(500); x.res.end(); }
  };
  const runUpgrade = (x: Exchange, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    x.upgrade = { socket, head };
    try { handle(x); } catch (e) { onError(e); socket.destroy(); }
  };
  const upgrade = (scheme: 'http' | 'https', port: () => number) => (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    runUpgrade(exchange(req, scheme, port()), socket, head);

  const plain = createH1Server({
    keepAliveTimeoutMs: 75_000,
    headersTimeoutMs: 60_000,
    serve: (req, res) => {
      const x = h1Exchange(req, httpPort);
      x.res = res;
      try { handle(x); } catch (e) { onError(e); if (!res.headersSent) res.writeHead(500); res.end(); }
    },
    upgrade: (req, socket, head) => runUpgrade(h1Exchange(req, httpPort), socket, head),
  });

  const secure = http2.createSecureServer({
    allowHTTP1: true,
    cert: o.fallbackCert.certPem,
    key: o.fallbackCert.keyPem,
    SNICallback: (name, cb) => cb(null, o.state.certs.context(o.state.table().tlsFor(requestHost(name)))),
  }, serve('https', () => httpsPort));
  secure.on('upgrade', upgrade('https', () => httpsPort));
  secure.on('session', (s) => { sessions.add(s); s.once('close', () => sessions.delete(s)); });
  secure.on('tlsClientError', () => undefined);
  secure.setTimeout(75_000);

  try {
    httpPort = await listen(plain, o.host, httpPort);
    httpsPort = await listen(secure, o.host, httpsPort);
  } catch (e) {
    await closeServer(plain);
    await closeServer(secure);
    upstream.close();
    throw e;
  }
  plain.on('error', onError);
  secure.on('error', onError);
  return {
    host: o.host,
    httpPort,
    httpsPort,
    async close() {
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
      await Promise.all([closeServer(plain), closeServer(secure)]);
      upstream.close();
    },
  };
}
