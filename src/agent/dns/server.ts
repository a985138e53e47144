// The DNS server: one UDP socket and one TCP listener on host:port (10.96.0.10:53 in a node;
// 127.0.0.1:<any> in tests), each question run down the handler chain. Replies the chain marks
// cacheable are kept encoded, keyed by the request's bytes after the ID, until the cluster data
// changes (the `generation` it is given moves): a repeated question is a map read and a copy.
// Nothing a client sends can stop it: unparsable packets get FORMERR or are dropped, a handler
// that throws gives SERVFAIL, TCP connections are bounded in idle time and frame size.
import dgram from 'node:dgram';
import net from 'node:net';
import { encodeReply, parseRequest, udpLimit, type Request } from './wire.ts';
import { reply, type Next, type Reply } from './types.ts';

export interface DnsServerOptions {
  host: string;
  port: number;
  handle: Next;
  /** the cluster data's change counter: cached replies die when it moves */
  generation: () => number;
  tcpIdleMs?: number;
  maxCached?: number;
  onError?: (e: unknown) => void;
}

export interface DnsServer {
  /** the bound port (useful with port 0) */
  port: number;
  host: string;
  close(): Promise<void>;
}

export class Responder {
  private readonly o: Pick<DnsServerOptions, 'handle' | 'generation' | 'maxCached' | 'onError'>;
  private readonly cache = new Map<string, Buffer>();
  private cacheGen = -1;

  constructor(o: Pick<DnsServerOptions, 'handle' | 'generation' | 'maxCached' | 'onError'>) {
    this.o = o;
  }

  /** The response to one packet, or undefined when it deserves none. Sync for cached answers. */
  respond(buf: Buffer, tcp: boolean): Buffer | undefined | Promise<Buffer | undefined> {
    if (buf.length < 12) return undefined;
    const gen = this.o.generation();
    if (gen !== this.cacheGen) { this.cache.clear(); this.cacheGen = gen; }
    const key = (tcp ? 't' : 'u') + buf.toString('latin1', 2);
    const hit = this.cache.get(key);
    if (hit) {
      const out = Buffer.allocUnsafe(hit.length);
      hit.copy(out);
      out[0] = buf[0]!;
      out[1] = buf[1]!;
      return out;
    }
    const parsed = parseRequest(buf, tcp);
    if (!parsed.ok) return parsed.response;
    const req = parsed.req;
    let r: Reply | Promise<Reply>;
    try { r = this.o.handle(req.query); } catch (e) { this.o.onError?.(e); r = reply('SERVFAIL'); }
    if (r instanceof Promise) return r.catch((e) => { this.o.onError?.(e); return reply('SERVFAIL'); }).then((x) => this.finish(req, x, tcp, key, gen));
    return this.finish(req, r, tcp, key, gen);
  }

  private finish(req: Request, r: Reply, tcp: boolean, key: string, gen: number): Buffer {
    let out: Buffer;
    try { out = encodeReply(req, r, tcp ? undefined : udpLimit(req)); } catch (e) {
      this.o.onError?.(e);
      out = encodeReply(req, reply('SERVFAIL'));
    }
    if (r.cacheable && gen === this.o.generation() && gen === this.cacheGen) {
      if (this.cache.size >= (this.o.maxCached ?? 10_000)) this.cache.delete(this.cache.keys().next().value!);
      const stored = Buffer.from(out);
      stored.writeUInt16BE(0, 0);
      this.cache.set(key, stored);
    }
    return out;
  }
}

const MAX_TCP_BUFFER = 65537 * 4;

export function startDnsServer(o: DnsServerOptions): Promise<DnsServer> {
  const responder = new Responder(o);
  const onError = o.onError ?? (() => {});
  const udp = dgram.createSocket({ type: net.isIPv6(o.host) ? 'udp6' : 'udp4' });
  udp.on('message', (msg, rinfo) => {
    const send = (out: Buffer | undefined) => { if (out) udp.send(out, rinfo.port, rinfo.address, (e) => e && onError(e)); };
    let r: ReturnType<Responder['respond']>;
    try { r = responder.respond(msg, false); } catch (e) { onError(e); return; }
    if (r instanceof Promise) r.then(send, onError); else send(r);
  });
  udp.on('error', onError);

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((s) => {
    sockets.add(s);
    s.setNoDelay(true);
    s.setTimeout(o.tcpIdleMs ?? 10_000, () => s.destroy());
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    let buf = Buffer.alloc(0);
    let queue: Promise<void> = Promise.resolve();
    s.on('data', (d) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      if (buf.length > MAX_TCP_BUFFER) { s.destroy(); return; }
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        // answers go back in the order asked
        queue = queue.then(async () => {
          let out: Buffer | undefined;
          try { out = await responder.respond(msg, true); } catch (e) { onError(e); }
          if (!out || s.destroyed) return;
          const head = Buffer.alloc(2);
          head.writeUInt16BE(out.length);
          s.write(Buffer.concat([head, out]));
        });
      }
    });
  });
  tcp.on('error', onError);

  return new Promise((resolve, reject) => {
    const fail = (e: Error) => { try { udp.close(); } catch { /* not bound */ } tcp.close(); reject(e); };
    tcp.once('error', fail);
    tcp.listen(o.port, o.host, () => {
      tcp.off('error', fail);
      const port = (tcp.address() as net.AddressInfo).port;
      udp.once('error', fail);
      udp.bind(port, o.host, () => {
        udp.off('error', fail);
        resolve({
          port,
          host: o.host,
          close: () => new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            udp.close();
            tcp.close(() => done());
          }),
        });
      });
    });
  });
}
