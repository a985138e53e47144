// The cluster zone handler (CoreDNS's `kubernetes` plugin, as minikube configures it with
// `pods insecure` and `fallthrough in-addr.arpa`): authoritative for <zone> (cluster.local),
// answering per the Kubernetes DNS specification from ClusterRecords — Services (A, SRV, CNAME
// for ExternalName), headless endpoints, dashed pod names, dns-version TXT — with SOA in the
// authority section of NXDOMAIN and NODATA replies; PTR for ClusterIPs, endpoint and pod IPs.
// Reverse names it does not know go to `next` (forward), as does the target of an ExternalName
// outside the zone.
import type { Answer, SrvAnswer } from 'dns-packet';
import { endpointName, isHeadless, type ClusterRecords, type SvcInfo } from './records.ts';
import { inZone, reverseToIP, undash, REVERSE_ZONE } from './names.ts';
import { reply, type Handler, type Next, type Query, type Reply } from './types.ts';

/** CoreDNS's default TTL for the kubernetes plugin. */
export const TTL = 5;
export const SCHEMA_VERSION = '1.1.0';
const MAX_CNAME_CHAIN = 8;

export interface ClusterZoneOptions {
  records: ClusterRecords;
  /** the DNS Service's IP, the A record of ns.dns.<zone> */
  dnsIP: string;
}

type Found =
  | { kind: 'nx' }
  | { kind: 'data'; answers: Answer[]; additionals?: Answer[] }
  | { kind: 'cname'; target: string };

export class ClusterZone implements Handler {
  readonly name = 'kubernetes';
  private readonly r: ClusterRecords;
  private readonly dnsIP: string;
  private readonly zone: string;

  constructor(o: ClusterZoneOptions) {
    this.r = o.records;
    this.dnsIP = o.dnsIP;
    this.zone = o.records.zone;
  }

  serve(q: Query, next: Next): Reply | Promise<Reply> {
    if (inZone(q.name, REVERSE_ZONE)) return this.reverse(q, next);
    if (!inZone(q.name, this.zone)) return next(q);
    if (q.class !== 'IN') return reply('REFUSED');
    return this.answer(q, next, 0);
  }

  soa(zone = this.zone): Answer {
    return {
      name: zone, type: 'SOA', ttl: TTL, class: 'IN',
      data: { mname: `ns.dns.${this.zone}`, rname: `hostmaster.${this.zone}`, serial: this.r.modified, refresh: 7200, retry: 1800, expire: 86400, minimum: TTL },
    };
  }

  private negative(rcode: 'NOERROR' | 'NXDOMAIN', zone = this.zone, answers: Answer[] = []): Reply {
    return reply(rcode, { authoritative: true, answers, authorities: [this.soa(zone)], cacheable: true });
  }

  private reverse(q: Query, next: Next): Reply | Promise<Reply> {
    const ip = reverseToIP(q.name);
    const names = ip ? this.r.ptr(ip) : [];
    if (names.length === 0) return next(q);
    if (q.type !== 'PTR') return this.negative('NOERROR', REVERSE_ZONE);
    return reply('NOERROR', { authoritative: true, cacheable: true, answers: names.map((n) => ({ name: q.qname, type: 'PTR', ttl: TTL, class: 'IN', data: n })) });
  }

  private async chase(q: Query, target: string, next: Next, depth: number, cnames: Answer[]): Promise<Reply> {
    const t: Query = { ...q, name: target, qname: target };
    const r = inZone(target, this.zone) ? await this.answer(t, next, depth + 1) : await next(t);
    return { ...r, answers: [...cnames, ...r.answers], authoritative: true, cacheable: r.cacheable };
  }

  private answer(q: Query, next: Next, depth: number): Reply | Promise<Reply> {
    const f = this.find(q);
    if (f.kind === 'nx') return this.negative('NXDOMAIN');
    if (f.kind === 'cname') {
      const cname: Answer = { name: q.qname, type: 'CNAME', ttl: TTL, class: 'IN', data: f.target };
      if (q.type === 'CNAME' || depth >= MAX_CNAME_CHAIN) return reply('NOERROR', { authoritative: true, answers: [cname], cacheable: true });
      return this.chase(q, f.target, next, depth, [cname]).then((r) => (r.rcode === 'NOERROR' || r.rcode === 'NXDOMAIN' ? r : { ...r, rcode: 'NOERROR', answers: [cname], cacheable: false }));
    }
    if (f.answers.length === 0) return this.negative('NOERROR');
    return reply('NOERROR', { authoritative: true, answers: f.answers, additionals: f.additionals ?? [], cacheable: true });
  }

  /** The records of one name, filtered by the question's type; 'nx' when the name does not exist. */
  private find(q: Query): Found {
    const zone = this.zone;
    if (q.name === zone) {
      if (q.type === 'SOA') return { kind: 'data', answers: [{ ...this.soa(), name: q.qname }] };
      if (q.type === 'NS') return { kind: 'data', answers: [{ name: q.qname, type: 'NS', ttl: TTL, class: 'IN', data: `ns.dns.${zone}` }], additionals: [this.a(`ns.dns.${zone}`, this.dnsIP)] };
      return { kind: 'data', answers: [] };
    }
    const labels = q.name.slice(0, -zone.length - 1).split('.');
    const n = labels.length;
    const top = labels[n - 1];
    const want = (t: string) => q.type === t || q.type === 'ANY';
    if (n === 1 && top === 'dns-version') return { kind: 'data', answers: want('TXT') ? [{ name: q.qname, type: 'TXT', ttl: TTL, class: 'IN', data: [SCHEMA_VERSION] }] : [] };
    if (top === 'dns') {
      if (n === 1) return { kind: 'data', answers: [] };
      if (n === 2 && labels[0] === 'ns') return { kind: 'data', answers: want('A') ? [this.a(q.qname, this.dnsIP)] : [] };
      return { kind: 'nx' };
    }
    if (top === 'pod') {
      if (n === 1) return { kind: 'data', answers: [] };
      if (!this.r.hasNamespace(labels[n - 2]!)) return { kind: 'nx' };
      if (n === 2) return { kind: 'data', answers: [] };
      const ip = n === 3 ? undash(labels[0]!) : undefined;
      if (!ip) return { kind: 'nx' };
      return { kind: 'data', answers: want('A') ? [this.a(q.qname, ip)] : [] };
    }
    if (top !== 'svc') return { kind: 'nx' };
    if (n === 1) return { kind: 'data', answers: [] };
    const ns = labels[n - 2]!;
    if (n === 2) return this.r.hasNamespace(ns) ? { kind: 'data', answers: [] } : { kind: 'nx' };
    const svc = this.r.service(ns, labels[n - 3]!);
    if (!svc) return { kind: 'nx' };
    if (n === 3) return this.serviceRecords(q, svc, want);
    if (n === 4) return this.endpointRecords(q, svc, labels[0]!, want);
    if (n === 5 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) return this.portRecords(q, svc, labels[0]!.slice(1), labels[1]!.slice(1), want);
    return { kind: 'nx' };
  }

  private a(name: string, ip: string): Answer {
    return { name, type: 'A', ttl: TTL, class: 'IN', data: ip };
  }

  private fqdn(s: SvcInfo): string {
    return `${s.name}.${s.namespace}.svc.${this.zone}`;
  }

  /** Ready endpoint addresses of a Service, each with its port of that name/protocol when asked. */
  private endpoints(s: SvcInfo, port?: { name: string; protocol: string }): Array<{ ip: string; label: string; port: number }> {
    const out: Array<{ ip: string; label: string; port: number }> = [];
    const seen = new Set<string>();
    for (const ss of this.r.subsets(s.namespace, s.name)) {
      const p = port ? ss.ports.find((x) => x.name === port.name && x.protocol === port.protocol) : undefined;
      if (port && !p) continue;
      for (const a of ss.addresses) {
        const key = `${a.ip}/${p?.port ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ ip: a.ip, label: endpointName(a), port: p?.port ?? 0 });
      }
    }
    return out;
  }

  private serviceRecords(q: Query, s: SvcInfo, want: (t: string) => boolean): Found {
    if (s.type === 'ExternalName') return s.externalName ? { kind: 'cname', target: s.externalName.replace(/\.$/, '').toLowerCase() } : { kind: 'nx' };
    if (!isHeadless(s)) {
      const answers: Answer[] = want('A') ? [this.a(q.qname, s.clusterIP)] : [];
      if (!want('SRV')) return { kind: 'data', answers };
      const target = this.fqdn(s);
      answers.push(...srv(q.qname, s.ports.map((p) => ({ port: p.port, target }))));
      return { kind: 'data', answers, additionals: s.ports.length ? [this.a(target, s.clusterIP)] : [] };
    }
    const eps = this.endpoints(s);
    if (eps.length === 0) return { kind: 'nx' };
    const answers: Answer[] = want('A') ? eps.map((e) => this.a(q.qname, e.ip)) : [];
    if (!want('SRV')) return { kind: 'data', answers };
    const targets: Array<{ port: number; target: string; ip: string }> = [];
    for (const p of s.ports) for (const e of this.endpoints(s, p.name ? p : undefined)) targets.push({ port: e.port || p.port, target: `${e.label}.${this.fqdn(s)}`, ip: e.ip });
    answers.push(...srv(q.qname, targets));
    return { kind: 'data', answers, additionals: uniqueA(targets.map((t) => this.a(t.target, t.ip))) };
  }

  private endpointRecords(q: Query, s: SvcInfo, label: string, want: (t: string) => boolean): Found {
    if (s.type === 'ExternalName') return { kind: 'nx' };
    const hits = this.endpoints(s).filter((e) => e.label === label);
    if (hits.length === 0) return { kind: 'nx' };
    return { kind: 'data', answers: want('A') ? hits.map((e) => this.a(q.qname, e.ip)) : [] };
  }

  private portRecords(q: Query, s: SvcInfo, portName: string, proto: string, want: (t: string) => boolean): Found {
    if (s.type === 'ExternalName') return { kind: 'nx' };
    const port = s.ports.find((p) => p.name === portName && p.protocol === proto);
    if (!port || !port.name) return { kind: 'nx' };
    if (!isHeadless(s)) {
      const target = this.fqdn(s);
      const answers: Answer[] = [];
      if (want('SRV')) answers.push(...srv(q.qname, [{ port: port.port, target }]));
      if (want('A')) answers.push(this.a(q.qname, s.clusterIP));
      return { kind: 'data', answers, additionals: want('SRV') ? [this.a(target, s.clusterIP)] : [] };
    }
    const eps = this.endpoints(s, port);
    if (eps.length === 0) return { kind: 'nx' };
    const targets = eps.map((e) => ({ port: e.port, target: `${e.label}.${this.fqdn(s)}`, ip: e.ip }));
    const answers: Answer[] = [];
    if (want('SRV')) answers.push(...srv(q.qname, targets));
    if (want('A')) answers.push(...eps.map((e) => this.a(q.qname, e.ip)));
    return { kind: 'data', answers, additionals: want('SRV') ? uniqueA(targets.map((t) => this.a(t.target, t.ip))) : [] };
  }
}

/** SRV records with CoreDNS's weights: priority 0, weight 100 split evenly among the targets (floor). */
function srv(name: string, targets: Array<{ port: number; target: string }>): SrvAnswer[] {
  const weight = targets.length ? Math.floor(100 / targets.length) : 0;
  return targets.map((t) => ({ name, type: 'SRV', ttl: TTL, class: 'IN', data: { priority: 0, weight, port: t.port, target: t.target } }));
}

function uniqueA(list: Answer[]): Answer[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const k = `${a.name} ${(a as { data: string }).data}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
