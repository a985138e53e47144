// Where a backend's traffic goes: a Pool per (namespace, Service, port) an Ingress names,
// holding the ready endpoints (pod IP : target port) read from the Service and its Endpoints,
// and a round-robin cursor. The port is matched as Kubernetes does: an Ingress port number
// picks the Service port with that `port`, a name the one with that `name`; that Service
// port's name then picks the Endpoints port. Pools are updated in place when a Service or
// Endpoints changes, so a running request never sees a half-built list.
import type { KubeObject } from '../../api/types.ts';

export interface Endpoint {
  host: string;
  port: number;
  /** `ip:port` */
  id: string;
}

export interface ServicePortRef { number?: number; name?: string }

export class Pool {
  readonly key: string;
  readonly namespace: string;
  readonly service: string;
  readonly port: ServicePortRef;
  endpoints: Endpoint[] = [];
  /** why there are no endpoints, for logs and describe-like messages */
  why = 'no Service';
  private cursor = 0;

  constructor(namespace: string, service: string, port: ServicePortRef) {
    this.namespace = namespace;
    this.service = service;
    this.port = port;
    this.key = poolKey(namespace, service, port);
  }

  /** The next endpoint round-robin (undefined when there is none). */
  next(): Endpoint | undefined {
    const eps = this.endpoints;
    if (eps.length === 0) return undefined;
    if (this.cursor >= eps.length) this.cursor = 0;
    return eps[this.cursor++];
  }

  byId(id: string): Endpoint | undefined {
    for (const e of this.endpoints) if (e.id === id) return e;
    return undefined;
  }
}

export function poolKey(namespace: string, service: string, port: ServicePortRef): string {
  return `${namespace}/${service}:${port.number ?? port.name ?? ''}`;
}

interface SvcPort { name?: string; port: number; protocol?: string }
interface Subset { addresses?: { ip: string }[]; ports?: { name?: string; port: number; protocol?: string }[] }

/** The ready endpoints of one Service port, from the Service and its Endpoints (either may be missing). */
export function resolveEndpoints(svc: KubeObject | undefined, ep: KubeObject | undefined, port: ServicePortRef): { endpoints: Endpoint[]; why: string } {
  if (!svc) return { endpoints: [], why: 'no Service' };
  const ports = (svc.spec?.ports ?? []) as SvcPort[];
  const sp = ports.find((p) => (port.number !== undefined ? p.port === port.number : (p.name ?? '') === port.name));
  if (!sp) return { endpoints: [], why: `the Service has no port ${port.number ?? port.name}` };
  const want = sp.name ?? '';
  const out: Endpoint[] = [];
  const seen = new Set<string>();
  for (const s of ((ep as { subsets?: Subset[] } | undefined)?.subsets ?? [])) {
    const p = (s.ports ?? []).find((x) => (x.name ?? '') === want && (x.protocol ?? 'TCP') === 'TCP');
    if (!p) continue;
    for (const a of s.addresses ?? []) {
      const id = a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ host: a.ip, port: p.port, id });
    }
  }
  return { endpoints: out, why: out.length ? '' : 'no ready endpoints' };
}

/** The Pools the routing table refers to, kept current from Services and Endpoints. */
export class Pools {
  private readonly pools = new Map<string, Pool>();
  private readonly services = new Map<string, KubeObject>();
  private readonly endpoints = new Map<string, KubeObject>();

  /** The pool for a backend (created and filled on first use). */
  get(namespace: string, service: string, port: ServicePortRef): Pool {
    const key = poolKey(namespace, service, port);
    let p = this.pools.get(key);
    if (!p) {
      p = new Pool(namespace, service, port);
      this.refill(p);
      this.pools.set(key, p);
    }
    return p;
  }

  /** Drops the pools no longer named by the routing table. */
  retain(used: Set<string>): void {
    for (const k of this.pools.keys()) if (!used.has(k)) this.pools.delete(k);
  }

  setService(o: KubeObject): void { this.services.set(nsName(o), o); this.refillService(nsName(o)); }
  deleteService(o: KubeObject): void { this.services.delete(nsName(o)); this.refillService(nsName(o)); }
  setEndpoints(o: KubeObject): void { this.endpoints.set(nsName(o), o); this.refillService(nsName(o)); }
  deleteEndpoints(o: KubeObject): void { this.endpoints.delete(nsName(o)); this.refillService(nsName(o)); }

  service(namespace: string, name: string): KubeObject | undefined {
    return this.services.get(`${namespace}/${name}`);
  }

  private refillService(key: string): void {
    for (const p of this.pools.values()) if (`${p.namespace}/${p.service}` === key) this.refill(p);
  }

  private refill(p: Pool): void {
    const key = `${p.namespace}/${p.service}`;
    const r = resolveEndpoints(this.services.get(key), this.endpoints.get(key), p.port);
    p.endpoints = r.endpoints;
    p.why = r.why;
  }
}

const nsName = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
