// The forward handler (CoreDNS's `forward . /etc/resolv.conf` with a small `cache`): every
// question the cluster zone passed on goes to the node's own resolvers, in order, each with a
// deadline (2 s); a truncated UDP answer to a TCP client is asked again over TCP. Answers are
// kept for their smallest TTL (negative ones for the SOA minimum), at most `maxTtl` seconds and
// `maxEntries` entries; cached answers are served with their TTLs counted down. No upstream or
// none answering → SERVFAIL, never a hang.
import type { Answer, DecodedPacket } from 'dns-packet';
import { queryTcp, queryUdp, type Upstream } from './upstream.ts';
import { reply, type Handler, type Query, type Rcode, type Reply } from './types.ts';

export interface ForwardOptions {
  upstreams: Upstream[];
  timeoutMs?: number;
  maxTtl?: number;
  maxEntries?: number;
  now?: () => number;
  /** for tests and benches: how an upstream is asked */
  query?: { udp: typeof queryUdp; tcp: typeof queryTcp };
}

interface Entry { at: number; expires: number; reply: Reply }

const KNOWN: readonly string[] = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export class Forward implements Handler {
  readonly name = 'forward';
  private readonly o: ForwardOptions;
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Reply>>();
  private readonly now: () => number;
  /** questions sent upstream (tests observe the cache) */
  sent = 0;

  constructor(o: ForwardOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
  }

  async serve(q: Query): Promise<Reply> {
    const key = `${q.name}|${q.type}|${q.class}`;
    const hit = this.cache.get(key);
    const now = this.now();
    if (hit && hit.expires > now) return aged(hit, now);
    if (hit) this.cache.delete(key);
    let p = this.inflight.get(key);
    if (!p) {
      p = this.ask(q).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async ask(q: Query): Promise<Reply> {
    const timeout = this.o.timeoutMs ?? 2000;
    const udp = this.o.query?.udp ?? queryUdp;
    const tcp = this.o.query?.tcp ?? queryTcp;
    const question = { name: q.name || '.', type: q.type, class: q.class };
    for (const u of this.o.upstreams) {
      try {
        this.sent++;
        let p = await udp(u, question, timeout);
        if (p.flag_tc && q.tcp) p = await tcp(u, question, timeout);
        const r = toReply(p);
        if (r.rcode === 'SERVFAIL' || r.rcode === 'REFUSED') continue;
        if (!p.flag_tc) this.remember(`${q.name}|${q.type}|${q.class}`, r);
        return p.flag_tc ? { ...r, truncated: true } : r;
      } catch { /* next upstream */ }
    }
    return reply('SERVFAIL');
  }

  private remember(key: string, r: Reply): void {
    const ttl = Math.min(this.o.maxTtl ?? 30, ...ttls(r));
    if (!(ttl > 0)) return;
    const max = this.o.maxEntries ?? 1000;
    if (this.cache.size >= max) this.cache.delete(this.cache.keys().next().value!);
    const at = this.now();
    this.cache.set(key, { at, expires: at + ttl * 1000, reply: r });
  }
}

function ttls(r: Reply): number[] {
  if (r.answers.length) return r.answers.map((a) => (a as { ttl?: number }).ttl ?? 0);
  const soa = r.authorities.find((a) => a.type === 'SOA') as { ttl?: number; data: { minimum?: number } } | undefined;
  return soa ? [Math.min(soa.ttl ?? 0, soa.data.minimum ?? 0)] : [0];
}

function aged(e: Entry, now: number): Reply {
  const gone = Math.floor((now - e.at) / 1000);
  const age = (list: Answer[]) => list.map((a) => ('ttl' in a && typeof a.ttl === 'number' ? { ...a, ttl: Math.max(0, a.ttl - gone) } : a)) as Answer[];
  return { ...e.reply, answers: age(e.reply.answers), authorities: age(e.reply.authorities), additionals: age(e.reply.additionals) };
}

function toReply(p: DecodedPacket): Reply {
  const rcode = (p as { rcode?: string }).rcode ?? 'NOERROR';
  return reply(KNOWN.includes(rcode) ? (rcode as Rcode) : 'SERVFAIL', {
    answers: p.answers ?? [],
    authorities: p.authorities ?? [],
    additionals: (p.additionals ?? []).filter((a) => a.type !== 'OPT'),
  });
}
