// A tiny DNS client for the tests: one question over UDP or TCP to 127.0.0.1:<port>, raw bytes
// or a decoded reply, with a deadline so a server that stalls fails the test instead of hanging.
import dgram from 'node:dgram';
import net from 'node:net';
import { decode, encode, RECURSION_DESIRED, type DecodedPacket, type Packet } from 'dns-packet';

export function query(name: string, type: string, o: { edns?: number; id?: number } = {}): Buffer {
  const p: Packet = { type: 'query', id: o.id ?? 4242, flags: RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }] };
  if (o.edns) p.additionals = [{ type: 'OPT', name: '.', udpPayloadSize: o.edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }];
  return encode(p);
}

export function udpRaw(port: number, msg: Buffer, timeoutMs = 3000): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => { s.close(); resolve(undefined); }, timeoutMs);
    s.on('message', (m) => { clearTimeout(t); s.close(); resolve(m); });
    s.on('error', (e) => { clearTimeout(t); s.close(); reject(e); });
    s.send(msg, port, '127.0.0.1');
  });
}

export function tcpRaw(port: number, frames: Buffer[], want = 1, timeoutMs = 3000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const out: Buffer[] = [];
    const t = setTimeout(() => { s.destroy(); resolve(out); }, timeoutMs);
    s.on('connect', () => s.write(Buffer.concat(frames)));
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (out.length >= want) { clearTimeout(t); s.destroy(); resolve(out); }
    });
    s.on('error', (e) => { clearTimeout(t); reject(e); });
  });
}

export function frame(msg: Buffer): Buffer {
  const h = Buffer.alloc(2);
  h.writeUInt16BE(msg.length);
  return Buffer.concat([h, msg]);
}

export async function ask(port: number, name: string, type: string, o: { tcp?: boolean; edns?: number } = {}): Promise<DecodedPacket & { rcode?: string }> {
  const q = query(name, type, o);
  if (o.tcp) {
    const [r] = await tcpRaw(port, [frame(q)]);
    if (!r) throw new Error(`no TCP answer for ${name} ${type}`);
    return decode(r);
  }
  const r = await udpRaw(port, q);
  if (!r) throw new Error(`no UDP answer for ${name} ${type}`);
  return decode(r);
}

/** A reply as one line per record: `name ttl type data`, sections separated, for exact comparisons. */
export function show(p: DecodedPacket & { rcode?: string }): string {
  const rr = (a: any) => {
    const d = a.type === 'SRV' ? `${a.data.priority} ${a.data.weight} ${a.data.port} ${a.data.target}`
      : a.type === 'SOA' ? `${a.data.mname} ${a.data.rname} ${a.data.refresh} ${a.data.retry} ${a.data.expire} ${a.data.minimum}`
        : a.type === 'TXT' ? (a.data as Buffer[]).map((b) => b.toString()).join(' ')
          : String(a.data);
    return `${a.name} ${a.ttl} ${a.type} ${d}`;
  };
  const flags = [p.flag_aa && 'aa', p.flag_tc && 'tc', p.flag_rd && 'rd', p.flag_ra && 'ra'].filter(Boolean).join(' ');
  const lines = [`${p.rcode} ${flags}`];
  for (const a of p.answers ?? []) lines.push(rr(a));
  for (const a of p.authorities ?? []) lines.push('; ' + rr(a));
  for (const a of (p.additionals ?? []).filter((x) => x.type !== 'OPT')) lines.push('+ ' + rr(a));
  return lines.join('\n');
}
