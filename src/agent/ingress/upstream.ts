// The last handler: the request goes straight to a ready endpoint of the chosen backend, as
// ingress-nginx does (no Service IP in between), over pooled keep-alive connections: h1.ts's
// own for HTTP/1.x clients of plain-HTTP backends (bodiless or Content-Length requests), one
// node:http Agent (LIFO, so warm sockets are reused) for the rest. Bodies stream both
// ways without buffering; an Upgrade (WebSocket) becomes a byte tunnel. Headers sent upstream
// are ingress-nginx's (nginx.tmpl): X-Request-ID, X-Real-IP, X-Forwarded-For/-Host/-Port/
// -Proto/-Scheme, X-Scheme, X-Original-Forwarded-For, and no Proxy header. A refused connection
// is retried on the next endpoint (up to 3 tries, bodiless requests only); then 502, and 504 on
// a timeout. No ready endpoint: 503. A `resource` backend: 501.
import { randomUUID } from 'node:crypto';
import http, { ServerResponse, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { choosePool, pickEndpoint } from './balance.ts';
import type { Endpoint } from './backends.ts';
import { H1Upstream, TimeoutError, type Flight, type Sink } from './h1.ts';
import { H1Response } from './h1-server.ts';
import { reason, respond } from './pages.ts';
import type { Exchange, Handler, Responder } from './types.ts';

/** Never forwarded in either direction (RFC 9110 §7.6.1, plus what HTTP/2 forbids). */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'http2-settings', 'proxy']);
const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);

export interface UpstreamOptions {
  /** proxy_connect_timeout (default 5 s) */
  connectTimeoutMs?: number;
  /** proxy_read_timeout (default 60 s) */
  readTimeoutMs?: number;
  /** proxy_next_upstream_tries (default 3) */
  tries?: number;
}

/** A request target node:http would refuse to send (controls, spaces, non-ASCII). */
const UNSAFE_TARGET = /[^\x21-\x7e]/;

export class Upstream implements Handler {
  readonly name = 'upstream';
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly h1: H1Upstream;
  private readonly o: Required<UpstreamOptions>;

  constructor(o: UpstreamOptions = {}) {
    this.o = { connectTimeoutMs: o.connectTimeoutMs ?? 5000, readTimeoutMs: o.readTimeoutMs ?? 60_000, tries: o.tries ?? 3 };
    const pool = { keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 256, scheduling: 'lifo' as const };
    this.agents = { http: new http.Agent(pool), https: new https.Agent({ ...pool, rejectUnauthorized: false }) };
    this.h1 = new H1Upstream({ connectTimeoutMs: this.o.connectTimeoutMs, readTimeoutMs: this.o.readTimeoutMs });
  }

  close(): void {
    this.h1.close();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  serve(x: Exchange): void {
    const l = x.location!;
    if (l.resource) return respond(x, 501);
    const pool = x.pool ?? choosePool(l, x.headers);
    if (!pool) return respond(x, 503);
    const pick = pickEndpoint(pool, l, x.headers, x.scheme === 'https');
    if (!pick.endpoint) return respond(x, 503);
    const headers = this.requestHeaders(x);
    if (x.upgrade) return this.tunnel(x, pick.endpoint, headers);
    const bodiless = BODILESS.has(x.method) && !x.headers['content-length'] && !x.headers['transfer-encoding'];
    const target = x.upstreamTarget ?? x.path + x.query;
    if ((x.res instanceof H1Response || x.res instanceof ServerResponse) && x.location!.ann.backendProtocol !== 'HTTPS' && (bodiless || !x.headers['transfer-encoding']) && !UNSAFE_TARGET.test(target)) {
      return this.fast(x, pick.endpoint, head(x.method, target, headers), pick.setCookie, bodiless, bodiless ? this.o.tries : 1, () => pool.next());
    }
    this.forward(x, pick.endpoint, headers, pick.setCookie, bodiless, bodiless ? this.o.tries : 1, () => pool.next());
  }

  private requestHeaders(x: Exchange): OutgoingHttpHeaders {
    const out: OutgoingHttpHeaders = {};
    const h = x.headers;
    for (const k in h) {
      if (k.charCodeAt(0) === 58 /* : */ || HOP.has(k)) continue;
      out[k] = h[k];
    }
    out.host = x.hostHeader;
    const fwd = h['x-forwarded-for'];
    if (fwd !== undefined) out['x-original-forwarded-for'] = fwd;
    out['x-request-id'] = h['x-request-id'] || randomUUID().replaceAll('-', '');
    out['x-real-ip'] = x.clientIP;
    out['x-forwarded-for'] = x.clientIP;
    out['x-forwarded-host'] = x.hostHeader;
    out['x-forwarded-port'] = String(x.serverPort);
    out['x-forwarded-proto'] = x.scheme;
    out['x-forwarded-scheme'] = x.scheme;
    out['x-scheme'] = x.scheme;
    if (x.upgrade) {
      out.connection = 'upgrade';
      out.upgrade = h.upgrade;
    }
    return out;
  }

  private forward(x: Exchange, ep: Endpoint, headers: OutgoingHttpHeaders, setCookie: string | undefined, bodiless: boolean, tries: number, another: () => Endpoint | undefined): void {
    const res = x.res as Responder & NodeJS.WritableStream & { destroy(): void };
    const secure = x.location!.ann.backendProtocol === 'HTTPS';
    const req = (secure ? https : http).request({
      host: ep.host, port: ep.port, method: x.method, path: x.upstreamTarget ?? x.path + x.query, headers,
      agent: secure ? this.agents.https : this.agents.http, setHost: false,
    });
    let done = false;
    let connectTimer: NodeJS.Timeout | undefined;
    // the client went away before the answer was complete: drop the upstream connection too
    const onClose = () => { if (!done) req.destroy(); };
    res.once('close', onClose);
    req.on('socket', (s) => {
      if (!(s as { connecting?: boolean }).connecting) return;
      connectTimer = setTimeout(() => req.destroy(new TimeoutError('connect timeout')), this.o.connectTimeoutMs);
      s.once('connect', () => clearTimeout(connectTimer));
    });
    req.setTimeout(this.o.readTimeoutMs, () => req.destroy(new TimeoutError('read timeout')));
    req.on('response', (up: IncomingMessage) => {
      clearTimeout(connectTimer);
      const out = responseHeaders(up.headers);
      if (setCookie) out['set-cookie'] = [...((out['set-cookie'] as string[] | undefined) ?? []), setCookie];
      res.writeHead(up.statusCode ?? 502, out as Record<string, string | string[] | number>);
      up.on('error', () => res.destroy());
      up.once('end', () => { done = true; });
      up.pipe(res);
    });
    req.on('error', (e) => {
      clearTimeout(connectTimer);
      if (res.headersSent) { res.destroy(); return; }
      res.off('close', onClose);
      if (tries > 1 && !(e instanceof TimeoutError)) {
        const alt = another();
        if (alt && alt !== ep) return this.forward(x, alt, headers, setCookie, bodiless, tries - 1, another);
      }
      respond(x, e instanceof TimeoutError ? 504 : 502);
    });
    if (bodiless) req.end();
    else x.body.pipe(req);
  }

  /** h1.ts's path: the same retries and answers as forward(). */
  private fast(x: Exchange, ep: Endpoint, requestHead: string, setCookie: string | undefined, bodiless: boolean, tries: number, another: () => Endpoint | undefined, fresh = false): void {
    const f: Flight = {
      method: x.method, head: requestHead, body: bodiless ? undefined : x.body, res: x.res as unknown as Sink, setCookie,
      failed: (e, retry) => {
        if (retry === 'stale' && bodiless && !fresh) return this.fast(x, ep, requestHead, setCookie, bodiless, tries, another, true);
        if (retry === 'refused' && tries > 1) {
          const alt = another();
          if (alt && alt !== ep) return this.fast(x, alt, requestHead, setCookie, bodiless, tries - 1, another);
        }
        respond(x, e instanceof TimeoutError ? 504 : 502);
      },
    };
    this.h1.send(ep, f, fresh);
  }

  /** Upgrade: the same request upstream on its own connection; a 101 joins the two sockets. */
  private tunnel(x: Exchange, ep: Endpoint, headers: OutgoingHttpHeaders): void {
    const client = x.upgrade!.socket;
    const secure = x.location!.ann.backendProtocol === 'HTTPS';
    const req = (secure ? https : http).request({ host: ep.host, port: ep.port, method: x.method, path: x.upstreamTarget ?? x.path + x.query, headers, agent: false, setHost: false, rejectUnauthorized: false });
    const close = () => { req.destroy(); client.destroy(); };
    client.on('error', close);
    req.on('upgrade', (up: IncomingMessage, sock: Duplex, head: Buffer) => {
      client.write(head101(up));
      if (head.length) client.write(head);
      if (x.upgrade!.head.length) sock.write(x.upgrade!.head);
      sock.on('error', close);
      client.on('close', () => sock.destroy());
      sock.on('close', () => client.destroy());
      sock.pipe(client);
      client.pipe(sock);
    });
    req.on('response', (up: IncomingMessage) => {
      // not upgraded: pass the answer on and close
      const lines = [`HTTP/1.1 ${up.statusCode} ${up.statusMessage || reason(up.statusCode ?? 502)}`];
      const h = responseHeaders(up.headers);
      for (const [k, v] of Object.entries(h)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
      const chunked = h['content-length'] === undefined;
      if (chunked) lines.push('Connection: close');
      client.write(lines.join('\r\n') + '\r\n\r\n');
      up.pipe(client);
    });
    req.on('error', () => { if (!client.destroyed) respond(x, 502); });
    req.end();
  }
}

/** An HTTP/1.1 request head: request line, the headers, the empty line. */
function head(method: string, target: string, headers: OutgoingHttpHeaders): string {
  let s = `${method} ${target} HTTP/1.1\r\n`;
  for (const k in headers) {
    const v = headers[k];
    if (Array.isArray(v)) for (const one of v) s += `${k}: ${one}\r\n`;
    else if (v !== undefined) s += `${k}: ${v}\r\n`;
  }
  return s + '\r\n';
}

function head101(up: IncomingMessage): string {
  const lines = [`HTTP/1.1 ${up.statusCode} ${up.statusMessage || 'Switching Protocols'}`];
  for (let i = 0; i < up.rawHeaders.length; i += 2) lines.push(`${up.rawHeaders[i]}: ${up.rawHeaders[i + 1]}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

function responseHeaders(h: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const k in h) if (!HOP.has(k)) out[k] = h[k];
  return out;
}
