// What the cluster DNS knows: Services, Endpoints, Pods and Namespaces reduced to the fields DNS
// answers from, indexed so every question is a few map reads (by namespace/name, and by IP for
// PTR) — never a scan of all objects. Fed by informer handlers (index.ts) or by hand in tests;
// each change bumps `generation` (the server drops cached replies) and `modified` (the SOA serial).
import type { KubeObject } from '../../api/types.ts';
import { dashed } from './names.ts';

export interface SvcPort { name: string; protocol: string; port: number }

export interface SvcInfo {
  name: string;
  namespace: string;
  type: string;
  /** '' when unset; 'None' for headless */
  clusterIP: string;
  externalName: string;
  ports: SvcPort[];
}

export interface EpAddress { ip: string; hostname?: string }
export interface EpSubset { addresses: EpAddress[]; ports: SvcPort[] }

export function isHeadless(s: SvcInfo): boolean {
  return s.type !== 'ExternalName' && (s.clusterIP === 'None' || s.clusterIP === '');
}

/** The endpoint's label under its Service: its hostname, else its dashed IP (CoreDNS endpointHostname). */
export function endpointName(a: EpAddress): string {
  return a.hostname || dashed(a.ip);
}

const nsName = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

function svcInfo(o: KubeObject): SvcInfo {
  const spec = o.spec ?? {};
  return {
    name: o.metadata.name!.toLowerCase(),
    namespace: (o.metadata.namespace ?? '').toLowerCase(),
    type: spec.type ?? 'ClusterIP',
    clusterIP: spec.clusterIP ?? '',
    externalName: spec.externalName ?? '',
    ports: (spec.ports ?? []).map((p: { name?: string; protocol?: string; port: number }) => ({ name: (p.name ?? '').toLowerCase(), protocol: (p.protocol ?? 'TCP').toLowerCase(), port: p.port })),
  };
}

function epSubsets(o: KubeObject): EpSubset[] {
  return ((o as { subsets?: any[] }).subsets ?? []).map((s) => ({
    addresses: (s.addresses ?? []).map((a: { ip: string; hostname?: string }) => (a.hostname ? { ip: a.ip, hostname: a.hostname.toLowerCase() } : { ip: a.ip })),
    ports: (s.ports ?? []).map((p: { name?: string; protocol?: string; port: number }) => ({ name: (p.name ?? '').toLowerCase(), protocol: (p.protocol ?? 'TCP').toLowerCase(), port: p.port })),
  }));
}

/** IP → owners → FQDN, for PTR; an IP may be named by several objects at once. */
class ReverseIndex {
  private readonly m = new Map<string, Map<string, string[]>>();
  set(owner: string, pairs: Array<[ip: string, fqdn: string]>, old: Array<[string, string]>): void {
    for (const [ip] of old) {
      const o = this.m.get(ip);
      o?.delete(owner);
      if (o && o.size === 0) this.m.delete(ip);
    }
    for (const [ip, fqdn] of pairs) {
      let o = this.m.get(ip);
      if (!o) this.m.set(ip, (o = new Map()));
      const list = o.get(owner);
      if (list) { if (!list.includes(fqdn)) list.push(fqdn); } else o.set(owner, [fqdn]);
    }
  }
  get(ip: string): string[] {
    const o = this.m.get(ip);
    return o ? [...o.values()].flat() : [];
  }
}

export class ClusterRecords {
  readonly zone: string;
  private readonly services = new Map<string, SvcInfo>();
  private readonly endpoints = new Map<string, EpSubset[]>();
  private readonly namespaces = new Set<string>();
  private readonly svcIPs = new ReverseIndex();
  private readonly epIPs = new ReverseIndex();
  private readonly podIPs = new ReverseIndex();
  private readonly owned = new Map<string, Array<[string, string]>>();
  private readonly now: () => number;
  /** bumped on every change */
  generation = 0;
  /** unix seconds of the last change: the SOA serial, as CoreDNS's Modified() */
  modified: number;

  constructor(zone = 'cluster.local', now: () => number = Date.now) {
    this.zone = zone;
    this.now = now;
    this.modified = Math.floor(now() / 1000);
  }

  private changed(): void {
    this.generation++;
    this.modified = Math.floor(this.now() / 1000);
  }

  private reindex(idx: ReverseIndex, owner: string, pairs: Array<[string, string]>): void {
    idx.set(owner, pairs, this.owned.get(owner) ?? []);
    if (pairs.length) this.owned.set(owner, pairs); else this.owned.delete(owner);
  }

  service(namespace: string, name: string): SvcInfo | undefined {
    return this.services.get(`${namespace}/${name}`);
  }

  subsets(namespace: string, name: string): EpSubset[] {
    return this.endpoints.get(`${namespace}/${name}`) ?? [];
  }

  hasNamespace(namespace: string): boolean {
    return this.namespaces.has(namespace);
  }

  /** PTR targets (FQDNs without the dot) for an IP: a Service's ClusterIP first, else the endpoints named by it, else the pod. */
  ptr(ip: string): string[] {
    const s = this.svcIPs.get(ip);
    if (s.length) return s;
    const e = this.epIPs.get(ip);
    return e.length ? e : this.podIPs.get(ip);
  }

  setService(o: KubeObject): void {
    const s = svcInfo(o);
    this.services.set(`${s.namespace}/${s.name}`, s);
    const ips = [s.clusterIP, ...((o.spec?.clusterIPs as string[] | undefined) ?? [])].filter((ip, i, a) => ip && ip !== 'None' && a.indexOf(ip) === i);
    this.reindex(this.svcIPs, 'svc:' + nsName(o), s.type === 'ExternalName' ? [] : ips.map((ip) => [ip, `${s.name}.${s.namespace}.svc.${this.zone}`]));
    this.changed();
  }

  deleteService(o: KubeObject): void {
    this.services.delete(nsName(o).toLowerCase());
    this.reindex(this.svcIPs, 'svc:' + nsName(o), []);
    this.changed();
  }

  setEndpoints(o: KubeObject): void {
    const key = nsName(o).toLowerCase();
    const subsets = epSubsets(o);
    this.endpoints.set(key, subsets);
    const [ns, name] = key.split('/');
    const pairs: Array<[string, string]> = [];
    for (const ss of subsets) for (const a of ss.addresses) pairs.push([a.ip, `${endpointName(a)}.${name}.${ns}.svc.${this.zone}`]);
    this.reindex(this.epIPs, 'ep:' + nsName(o), pairs);
    this.changed();
  }

  deleteEndpoints(o: KubeObject): void {
    this.endpoints.delete(nsName(o).toLowerCase());
    this.reindex(this.epIPs, 'ep:' + nsName(o), []);
    this.changed();
  }

  setPod(o: KubeObject): void {
    const ns = (o.metadata.namespace ?? '').toLowerCase();
    const ips = new Set<string>([o.status?.podIP, ...((o.status?.podIPs as Array<{ ip: string }> | undefined) ?? []).map((p) => p.ip)].filter((x): x is string => !!x && !x.includes(':')));
    // pods on the host network share the node's IP: they are not the pod's own name
    const pairs: Array<[string, string]> = o.spec?.hostNetwork ? [] : [...ips].map((ip) => [ip, `${dashed(ip)}.${ns}.pod.${this.zone}`]);
    const before = this.owned.get('pod:' + nsName(o));
    this.reindex(this.podIPs, 'pod:' + nsName(o), pairs);
    if (JSON.stringify(before ?? []) !== JSON.stringify(pairs)) this.changed();
  }

  deletePod(o: KubeObject): void {
    if (!this.owned.has('pod:' + nsName(o))) return;
    this.reindex(this.podIPs, 'pod:' + nsName(o), []);
    this.changed();
  }

  setNamespace(o: KubeObject): void {
    const n = o.metadata.name!.toLowerCase();
    if (this.namespaces.has(n)) return;
    this.namespaces.add(n);
    this.changed();
  }

  deleteNamespace(o: KubeObject): void {
    if (this.namespaces.delete(o.metadata.name!.toLowerCase())) this.changed();
  }
}
