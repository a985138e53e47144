// Talking to the node's own resolver: which nameservers /etc/resolv.conf names (never the cluster
// DNS itself, which would forward to itself), and one question sent over UDP or TCP with a
// deadline. Returns the decoded reply or throws (timeout, refused, garbage).
import dgram from 'node:dgram';
import net from 'node:net';
import { decode, encode, RECURSION_DESIRED, type DecodedPacket } from 'dns-packet';

export interface Upstream { host: string; port: number }

/** Nameservers of a resolv.conf text, minus the addresses given (our own). */
export function nameservers(resolvConf: string, exclude: readonly string[] = []): Upstream[] {
  const out: Upstream[] = [];
  for (const line of resolvConf.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const host = m[1]!.replace(/%.*$/, '');
    if (!net.isIP(host) || exclude.includes(host)) continue;
    out.push({ host, port: 53 });
  }
  return out;
}

export interface Question { name: string; type: string; class: string }

function packet(q: Question): Buffer {
  return encode({ type: 'query', id: Math.floor(Math.random() * 65536), flags: RECURSION_DESIRED, questions: [{ name: q.name, type: q.type as 'A', class: q.class as 'IN' }] });
}

export function queryUdp(u: Upstream, q: Question, timeoutMs: number): Promise<DecodedPacket> {
  const msg = packet(q);
  const id = msg.readUInt16BE(0);
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(net.isIPv6(u.host) ? 'udp6' : 'udp4');
    const done = (e?: Error, p?: DecodedPacket) => {
      clearTimeout(timer);
      sock.close();
      if (e) reject(e); else resolve(p!);
    };
    const timer = setTimeout(() => done(new Error(`no answer from ${u.host}:${u.port} within ${timeoutMs} ms`)), timeoutMs);
    sock.on('error', (e) => done(e));
    sock.on('message', (buf) => {
      let p: DecodedPacket;
      try { p = decode(buf); } catch { return; }
      if (p.id === id && p.type === 'response') done(undefined, p);
    });
    sock.send(msg, u.port, u.host);
  });
}

export function queryTcp(u: Upstream, q: Question, timeoutMs: number): Promise<DecodedPacket> {
  const msg = packet(q);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return new Promise((resolve, reject) => {
    const s = net.connect(u.port, u.host);
    let buf = Buffer.alloc(0);
    const done = (e?: Error, p?: DecodedPacket) => {
      clearTimeout(timer);
      s.destroy();
      if (e) reject(e); else resolve(p!);
    };
    const timer = setTimeout(() => done(new Error(`no answer from ${u.host}:${u.port} (TCP) within ${timeoutMs} ms`)), timeoutMs);
    s.on('error', (e) => done(e));
    s.on('connect', () => s.write(Buffer.concat([len, msg])));
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
      try { done(undefined, decode(buf.subarray(2, 2 + buf.readUInt16BE(0)))); } catch (e) { done(e as Error); }
    });
    s.on('end', () => done(new Error(`${u.host}:${u.port} closed the connection without an answer`)));
  });
}
