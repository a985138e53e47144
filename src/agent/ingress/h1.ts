// The fast data path, for HTTP/1.x clients and plain-HTTP pods: requests go to the pod over
// this file's own pooled keep-alive connections (plain net sockets, the answer parsed by Node's
// llhttp binding as node:http's client does, but without ClientRequest, IncomingMessage and
// http.Agent, whose bookkeeping costs 50+ µs a request: bench/README.md), and the answer is
// written to the client's answer (h1-server.ts's, or node:http's over TLS) as it arrives. Bodiless requests and bodies with a
// Content-Length only; upstream.ts keeps node:http for the rest (chunked request bodies, HTTPS
// backends, HTTP/2 clients, Upgrade).
// Pools are LIFO per endpoint (`ip:port`), at most `maxIdle` idle connections each, closed after
// `idleTimeoutMs` unused (ingress-nginx: upstream-keepalive-connections 320, -timeout 60 s).
// A refused connection is retried on another endpoint, a reused connection that the pod had
// closed on a fresh one (bodiless requests, `tries` in all); then 502, 504 on a timeout.
import net from 'node:net';
import type { Readable } from 'node:stream';
import type { Endpoint } from './backends.ts';

interface ParserCtor {
  new(): Parser;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}
interface Parser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): number | Error | undefined;
  close(): void;
  [k: number]: unknown;
}
// node:http's own parser binding (llhttp), as its client uses it
const { HTTPParser } = process.getBuiltinModule('_http_common') as unknown as { HTTPParser: ParserCtor };

/** Never forwarded back to the client (RFC 9110 §7.6.1). */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export class TimeoutError extends Error {}

export interface H1Options {
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** an idle pooled connection is closed after this (default 60 s) */
  idleTimeoutMs?: number;
  /** idle connections kept per endpoint (default 320) */
  maxIdle?: number;
}

/** Where an answer is written: node:http's ServerResponse, or h1-server.ts's H1Response. */
export interface Sink {
  writeHead(status: number, headers: string[]): unknown;
  write(b: Buffer): boolean;
  end(): unknown;
  destroy(): unknown;
  once(event: 'close' | 'drain', f: () => void): unknown;
  readonly destroyed: boolean;
}

/** One request in flight: where its answer goes and what to do when the pod fails it. */
export interface Flight {
  method: string;
  /** request line, headers and the empty line */
  head: string;
  /** a Content-Length body to stream after the head */
  body?: Readable;
  res: Sink;
  /** a Set-Cookie header to add to the answer */
  setCookie?: string;
  /**
   * The pod failed the request before any answer was written to the client. `retry` says what
   * kind of failure may be tried again: `refused` (another endpoint), `stale` (the same one on a
   * new connection), undefined (none: answer 502/504).
   */
  failed(e: Error, retry: 'refused' | 'stale' | undefined): void;
}

class Conn {
  readonly socket: net.Socket;
  readonly key: string;
  private readonly parser: Parser;
  private readonly owner: H1Upstream;
  connected = false;
  /** a request was answered on it before (a failure may be the pod's keep-alive close) */
  reused = false;
  flight?: Flight;
  private wrote = false;
  private keepAlive = false;
  private informational = false;
  private bodySent = true;
  private partial: string[] = [];
  private connectTimer?: NodeJS.Timeout;
  /** the socket's inactivity timeout now: read timeout while busy, idle timeout in the pool */
  private timeout = 0;

  constructor(owner: H1Upstream, ep: Endpoint) {
    this.owner = owner;
    this.key = ep.id;
    this.socket = net.connect({ host: ep.host, port: ep.port, noDelay: true });
    this.connectTimer = setTimeout(() => this.fail(new TimeoutError('connect timeout')), owner.o.connectTimeoutMs);
    this.socket.once('connect', () => {
      this.connected = true;
      clearTimeout(this.connectTimer);
    });
    const p = (this.parser = new HTTPParser());
    p.initialize(HTTPParser.RESPONSE, {}, 0, 0);
    p[HTTPParser.kOnHeaders] = (headers: string[]) => { this.partial.push(...headers); };
    p[HTTPParser.kOnHeadersComplete] = (_maj: number, _min: number, headers: string[] | undefined, _m: unknown, _u: unknown, status: number, _sm: unknown, upgrade: boolean, keepAlive: boolean) =>
      this.onHead(headers ?? this.partial, status, upgrade, keepAlive);
    p[HTTPParser.kOnBody] = (b: Buffer) => this.onBody(b);
    p[HTTPParser.kOnMessageComplete] = () => this.onComplete();
    this.socket.on('data', (d: Buffer) => {
      if (!this.flight) return this.destroy(); // bytes nobody asked for: not reusable
      const r = p.execute(d);
      if (r instanceof Error) this.fail(r);
    });
    this.socket.on('end', () => {
      if (this.flight) {
        const r = this.parser.finish(); // an answer that ends with the connection
        if (r instanceof Error) this.fail(r);
      }
      if (this.flight) this.fail(new Error('the pod closed the connection'));
      this.destroy();
    });
    this.socket.on('error', (e) => this.fail(e));
    this.socket.on('close', () => {
      if (this.flight) this.fail(new Error('the pod closed the connection'));
      this.owner.forget(this);
      this.parser.close();
    });
    this.socket.on('timeout', () => {
      if (this.flight) this.fail(new TimeoutError('read timeout'));
      else this.destroy();
    });
  }

  /** Re-arming a socket timeout costs a timer list operation: only when the value changes. */
  private setTimeout(ms: number): void {
    if (this.timeout !== ms) this.socket.setTimeout((this.timeout = ms));
  }

  send(f: Flight): void {
    this.flight = f;
    this.wrote = false;
    this.informational = false;
    if (this.partial.length) this.partial = [];
    this.setTimeout(this.owner.o.readTimeoutMs);
    this.socket.write(f.head, 'latin1');
    if (f.body) {
      this.bodySent = false;
      f.body.once('end', () => { this.bodySent = true; });
      f.body.pipe(this.socket, { end: false });
    } else this.bodySent = true;
    // the client went away before the answer was complete: drop this connection too
    f.res.once('close', () => { if (this.flight === f) this.destroy(); });
  }

  private onHead(raw: string[], status: number, upgrade: boolean, keepAlive: boolean): number {
    const f = this.flight;
    if (!f) return 0;
    if (status < 200 && status !== 101) {
      this.informational = true; // 100 Continue, 103 Early Hints: the final answer follows
      return 0;
    }
    if (upgrade || status === 101) {
      this.fail(new Error('the pod switched protocols on a request without Upgrade'));
      return 0;
    }
    this.keepAlive = keepAlive;
    const out: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i]!;
      if (!HOP.has(k.toLowerCase())) out.push(k, raw[i + 1]!);
    }
    if (f.setCookie) out.push('Set-Cookie', f.setCookie);
    this.wrote = true;
    f.res.writeHead(status, out);
    return f.method === 'HEAD' ? 1 : 0; // 1: no body follows
  }

  private onBody(b: Buffer): void {
    const res = this.flight?.res;
    if (!res || res.destroyed) return;
    if (!res.write(b)) {
      this.socket.pause();
      res.once('drain', () => this.socket.resume());
    }
  }

  private onComplete(): void {
    const f = this.flight;
    if (!f) return;
    if (this.informational) {
      this.informational = false;
      this.partial = [];
      return;
    }
    this.flight = undefined;
    f.res.end();
    if (f.body && !this.bodySent) f.body.unpipe(this.socket);
    if (this.keepAlive && this.bodySent && !this.socket.destroyed) {
      this.reused = true;
      this.setTimeout(this.owner.idleTimeoutMs);
      this.owner.release(this);
    } else this.destroy();
  }

  /** The request in flight failed: the client gets 502/504 (or a retry) unless the answer had begun. */
  fail(e: Error): void {
    clearTimeout(this.connectTimer);
    const f = this.flight;
    this.flight = undefined;
    this.destroy();
    if (!f) return;
    if (f.body) f.body.unpipe(this.socket);
    if (this.wrote) {
      f.res.destroy();
      return;
    }
    const code = (e as NodeJS.ErrnoException).code;
    const retry = e instanceof TimeoutError ? undefined
      : !this.connected && (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') ? 'refused'
      : this.reused ? 'stale' : undefined;
    f.failed(e, retry);
  }

  destroy(): void {
    clearTimeout(this.connectTimer);
    if (!this.socket.destroyed) this.socket.destroy();
    this.owner.forget(this);
  }
}

/** Pooled keep-alive HTTP/1.1 connections to endpoints, one request at a time on each. */
export class H1Upstream {
  readonly o: H1Options;
  readonly idleTimeoutMs: number;
  private readonly maxIdle: number;
  private readonly idle = new Map<string, Conn[]>();
  private readonly all = new Set<Conn>();

  constructor(o: H1Options) {
    this.o = o;
    this.idleTimeoutMs = o.idleTimeoutMs ?? 60_000;
    this.maxIdle = o.maxIdle ?? 320;
  }

  /** Sends the request on an idle connection to `ep` (the most recently used) or a new one. */
  send(ep: Endpoint, f: Flight, fresh = false): void {
    let c: Conn | undefined;
    if (!fresh) {
      const list = this.idle.get(ep.id);
      while (list && list.length > 0 && !c) {
        const cand = list.pop()!;
        if (!cand.socket.destroyed) c = cand;
      }
    }
    if (!c) {
      c = new Conn(this, ep);
      this.all.add(c);
    }
    c.send(f);
  }

  release(c: Conn): void {
    let list = this.idle.get(c.key);
    if (!list) this.idle.set(c.key, (list = []));
    if (list.length >= this.maxIdle) return c.destroy();
    list.push(c);
  }

  forget(c: Conn): void {
    if (!this.all.delete(c)) return;
    const list = this.idle.get(c.key);
    if (!list) return;
    const i = list.indexOf(c);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.idle.delete(c.key);
  }

  /** Connections open now: idle and busy (for tests). */
  get size(): number {
    return this.all.size;
  }

  close(): void {
    for (const c of [...this.all]) c.destroy();
    this.idle.clear();
  }
}
