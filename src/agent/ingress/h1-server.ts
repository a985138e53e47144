// The plain-HTTP listener's HTTP/1.x server (what serves :80): requests parsed by node's own
// llhttp binding, as node:http's server does, and answers written straight to the socket,
// without IncomingMessage, ServerResponse and their bookkeeping, which cost about as much CPU
// per request as nginx's whole proxy hop (bench/README.md). What a client sees is what
// node:http gives: keep-alive as HTTP/1.1 and HTTP/1.0 say (Connection), pipelined requests
// answered in order, one at a time, `100 Continue` for `Expect: 100-continue`, an answer without
// a length chunked (HTTP/1.1) or closed (HTTP/1.0), nothing after HEAD/204/304, Upgrade handed
// over with the socket; a request that cannot be parsed, headers over 16 KiB, or headers not
// complete after `headersTimeoutMs` close the connection; an idle one closes after
// `keepAliveTimeoutMs`.
import { EventEmitter } from 'node:events';
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';

interface Parser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  close(): void;
  [k: number]: unknown;
}
const { HTTPParser, methods } = process.getBuiltinModule('_http_common') as unknown as {
  HTTPParser: { new(): Parser; REQUEST: number; kOnMessageBegin: number; kOnHeaders: number; kOnHeadersComplete: number; kOnBody: number; kOnMessageComplete: number };
  methods: string[];
};

const MAX_HEADER_SIZE = 16 * 1024;
const EARLY_BODY_LIMIT = 64 * 1024;
/** Received once; later copies are dropped (node:http's matchKnownFields). */
const SINGLE = new Set(['content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization', 'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after', 'etag', 'last-modified', 'server', 'age', 'expires']);
/** Set by the response itself. */
const OWN = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);
const BAD_VALUE = /[\r\n\0]/;

let dateCache = '';
let dateAt = 0;
function date(): string {
  const now = Date.now();
  if (now - dateAt >= 1000) {
    dateAt = now - (now % 1000);
    dateCache = new Date(dateAt).toUTCString();
  }
  return dateCache;
}

/** Headers as node:http's IncomingMessage has them: lower-case names, repeats joined. */
export function headersObject(raw: string[]): IncomingHttpHeaders {
  const h: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    const v = raw[i + 1]!;
    const had = h[k];
    if (had === undefined) h[k] = k === 'set-cookie' ? [v] : v;
    else if (k === 'set-cookie') (had as string[]).push(v);
    else if (!SINGLE.has(k)) h[k] = `${had as string}${k === 'cookie' ? '; ' : ', '}${v}`;
  }
  return h as IncomingHttpHeaders;
}

/** A request as the router reads it. */
export class H1Request {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly rawHeaders: string[];
  readonly socket: net.Socket;
  readonly keepAlive: boolean;
  readonly upgrade: boolean;
  complete = false;
  /** what followed the headers of an Upgrade request */
  head?: Buffer;
  private readonly conn: Conn;
  private h?: IncomingHttpHeaders;
  private stream?: Readable;
  private early?: Buffer[];
  private earlyBytes = 0;
  dumping = false;

  constructor(conn: Conn, method: string, url: string, httpVersion: string, raw: string[], keepAlive: boolean, upgrade: boolean) {
    this.conn = conn;
    this.socket = conn.socket;
    this.method = method;
    this.url = url;
    this.httpVersion = httpVersion;
    this.rawHeaders = raw;
    this.keepAlive = keepAlive;
    this.upgrade = upgrade;
  }

  get headers(): IncomingHttpHeaders {
    return (this.h ??= headersObject(this.rawHeaders));
  }

  /** The body, as it arrives (made on first use; ended at once for a bodiless request). */
  get body(): Readable {
    if (!this.stream) {
      const s = (this.stream = new Readable({ read: () => this.conn.resume() }));
      for (const b of this.early ?? []) s.push(b);
      this.early = undefined;
      if (this.complete) s.push(null);
    }
    return this.stream;
  }

  pushBody(b: Buffer): void {
    if (this.dumping) return;
    if (this.stream) {
      if (!this.stream.push(b)) this.conn.pause();
      return;
    }
    // a body nobody reads yet (its request waits behind another): held up to a limit, then the
    // connection stops reading until it is read
    (this.early ??= []).push(b);
    this.earlyBytes += b.length;
    if (this.earlyBytes > EARLY_BODY_LIMIT) this.conn.pause();
  }

  end(): void {
    this.complete = true;
    this.stream?.push(null);
  }

  abort(): void {
    this.stream?.destroy();
  }
}

/** The answer to one request, written to the socket as it comes (headers with the first bytes). */
export class H1Response extends EventEmitter {
  headersSent = false;
  finished = false;
  destroyed = false;
  private readonly conn: Conn;
  readonly req: H1Request;
  private keepAlive: boolean;
  private head = '';
  private chunked = false;
  private noBody = false;

  constructor(conn: Conn, req: H1Request) {
    super();
    this.conn = conn;
    this.req = req;
    this.keepAlive = req.keepAlive;
  }

  /** Headers as an object or a flat [name, value, …] list (node:http accepts both). */
  writeHead(status: number, headers?: Record<string, string | string[] | number> | string[]): this {
    if (this.headersSent) throw new Error('headers already sent');
    let s = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
    let length = false;
    const add = (k: string, v: string | number) => {
      const lower = k.toLowerCase();
      if (OWN.has(lower)) return;
      const text = String(v);
      if (BAD_VALUE.test(text)) throw new TypeError(`Invalid character in header content ["${k}"]`);
      if (lower === 'content-length') length = true;
      s += `${k}: ${text}\r\n`;
    };
    if (Array.isArray(headers)) for (let i = 0; i < headers.length; i += 2) add(headers[i]!, headers[i + 1]!);
    else for (const k in headers) {
      const v = headers[k]!;
      if (Array.isArray(v)) for (const one of v) add(k, one);
      else add(k, v);
    }
    this.noBody = this.req.method === 'HEAD' || status === 204 || status === 304 || status < 200;
    if (!length && !this.noBody) {
      if (this.req.httpVersion === '1.1') {
        this.chunked = true;
        s += 'Transfer-Encoding: chunked\r\n';
      } else this.keepAlive = false; // an HTTP/1.0 client reads until the connection closes
    }
    this.head = `${s}Date: ${date()}\r\nConnection: ${this.keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
    this.headersSent = true;
    return this;
  }

  write(chunk: Buffer | string): boolean {
    if (this.finished || this.destroyed) return false;
    if (!this.headersSent) this.writeHead(200);
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    return this.send(data, false);
  }

  end(chunk?: Buffer | string): this {
    if (this.finished || this.destroyed) return this;
    if (!this.headersSent) this.writeHead(200);
    const data = chunk === undefined ? undefined : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.send(data, true);
    this.finished = true;
    this.emit('finish');
    this.conn.done(this, this.keepAlive);
    this.emit('close');
    return this;
  }

  destroy(): void {
    this.conn.socket.destroy();
  }

  /** The socket closed before the answer was complete. */
  closed(): void {
    if (this.finished || this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }

  private send(data: Buffer | undefined, last: boolean): boolean {
    const s = this.conn.socket;
    const body = this.noBody || !data || data.length === 0 ? undefined : data;
    const tail = last && this.chunked ? '0\r\n\r\n' : '';
    if (!this.head && !body && !tail) return true;
    s.cork();
    if (this.head) s.write(this.head, 'latin1');
    this.head = '';
    if (body) {
      if (this.chunked) s.write(`${body.length.toString(16)}\r\n`, 'latin1');
      s.write(body);
      if (this.chunked) s.write('\r\n', 'latin1');
    }
    if (tail) s.write(tail, 'latin1');
    s.uncork();
    return !s.writableNeedDrain;
  }
}

export interface H1ServerOptions {
  serve(req: H1Request, res: H1Response): void;
  upgrade(req: H1Request, socket: net.Socket, head: Buffer): void;
  /** idle keep-alive connections close after this (default 75 s, nginx's keepalive_timeout) */
  keepAliveTimeoutMs?: number;
  /** a request's headers must be complete within this (default 60 s, client_header_timeout) */
  headersTimeoutMs?: number;
}

/** One client connection: its parser, the requests read and not yet answered, the one being answered. */
class Conn {
  readonly socket: net.Socket;
  private readonly o: H1ServerOptions;
  private readonly parser: Parser;
  private readonly queue: H1Request[] = [];
  private reading?: H1Request;
  private current?: H1Response;
  private partial: string[] = [];
  private partialUrl = '';
  private paused = false;
  private gone = false;
  headersSince = 0;

  constructor(socket: net.Socket, o: H1ServerOptions) {
    this.socket = socket;
    this.o = o;
    socket.setNoDelay(true);
    socket.setTimeout(o.keepAliveTimeoutMs ?? 75_000);
    const p = (this.parser = new HTTPParser());
    p.initialize(HTTPParser.REQUEST, {}, MAX_HEADER_SIZE, 0);
    p[HTTPParser.kOnMessageBegin] = () => { this.headersSince = Date.now(); };
    p[HTTPParser.kOnHeaders] = (h: string[], url: string) => { this.partial.push(...h); this.partialUrl += url; };
    p[HTTPParser.kOnHeadersComplete] = (major: number, minor: number, raw: string[] | undefined, method: number, url: string | undefined, _s: unknown, _sm: unknown, upgrade: boolean, keepAlive: boolean) => {
      this.headersSince = 0;
      const req = new H1Request(this, methods[method] ?? 'GET', url ?? this.partialUrl, `${major}.${minor}`, raw ?? this.partial, keepAlive, upgrade);
      if (!raw) this.partial = [];
      this.partialUrl = '';
      this.reading = req;
      this.queue.push(req);
      return 0;
    };
    p[HTTPParser.kOnBody] = (b: Buffer) => this.reading?.pushBody(b);
    p[HTTPParser.kOnMessageComplete] = () => {
      const req = this.reading;
      this.reading = undefined;
      req?.end();
    };
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('timeout', () => { if (!this.current && this.queue.length === 0) socket.destroy(); });
    socket.on('drain', () => this.current?.emit('drain'));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.gone = true;
      this.current?.req.abort();
      this.current?.closed();
      for (const r of this.queue) r.abort();
      this.parser.close();
    });
  }

  private onData(d: Buffer): void {
    const r = this.parser.execute(d);
    if (r instanceof Error) {
      // bytes after a request that closes the connection are ignored; anything else unparsable ends it
      if ((r as Error & { code?: string }).code !== 'HPE_CLOSED_CONNECTION') this.socket.destroy();
      return;
    }
    const last = this.queue.at(-1);
    if (last?.upgrade) {
      // the rest belongs to the new protocol: no more parsing on this connection
      last.head = d.subarray(r);
      this.socket.removeAllListeners('data');
      this.socket.removeAllListeners('timeout');
      this.socket.setTimeout(0);
      this.socket.pause();
    }
    this.next();
  }

  /** Answers the next request read, when none is being answered. */
  private next(): void {
    while (!this.current && !this.gone) {
      const req = this.queue.shift();
      if (!req) return;
      if (req.upgrade) {
        if (req.method === 'CONNECT') this.socket.destroy(); // not a proxy (node:http drops it too)
        else this.o.upgrade(req, this.socket, req.head ?? Buffer.alloc(0));
        return;
      }
      if (req.httpVersion === '1.1' && /^100-continue$/i.test(String(req.headers.expect ?? ''))) this.socket.write('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
      const res = new H1Response(this, req);
      this.current = res;
      this.o.serve(req, res);
    }
  }

  /** The answer is written: close, or go on with the next request (an unread body is skipped). */
  done(res: H1Response, keepAlive: boolean): void {
    if (res !== this.current) return;
    this.current = undefined;
    if (!res.req.complete) res.req.dumping = true;
    this.resume();
    if (!keepAlive) {
      this.socket.end();
      this.gone = true;
      return;
    }
    this.next();
  }

  pause(): void {
    if (!this.paused) { this.paused = true; this.socket.pause(); }
  }

  resume(): void {
    if (this.paused) { this.paused = false; this.socket.resume(); }
  }
}

export type H1Server = net.Server & { closeAllConnections(): void };

export function createH1Server(o: H1ServerOptions): H1Server {
  const conns = new Set<Conn>();
  const headersTimeout = o.headersTimeoutMs ?? 60_000;
  let sweep: NodeJS.Timeout | undefined;
  const server = net.createServer((socket) => {
    const c = new Conn(socket, o);
    conns.add(c);
    socket.once('close', () => conns.delete(c));
  }) as H1Server;
  // slow headers (one byte now and then keeps a socket timeout from firing): checked together
  server.on('listening', () => {
    sweep = setInterval(() => {
      const now = Date.now();
      for (const c of conns) if (c.headersSince && now - c.headersSince > headersTimeout) c.socket.destroy();
    }, Math.min(headersTimeout, 15_000));
    sweep.unref();
  });
  server.on('close', () => clearInterval(sweep));
  server.closeAllConnections = () => { for (const c of conns) c.socket.destroy(); };
  return server;
}
