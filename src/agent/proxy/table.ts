// The proxy's routing table: Services + Endpoints turned into what a node serves. Every Service
// port becomes one ProxyEntry, reachable by (protocol, clusterIP, port), by (protocol, IP, port)
// for each externalIP and LoadBalancer ingress IP, and by (protocol, nodePort) for NodePort and
// LoadBalancer Services. Setting or removing a Service touches only that Service's keys (map
// inserts, O(1) however many Services exist). The table also counts, per listening socket the
// data plane needs, how many entries use it, and tells a ListenerSink when one is first wanted
// and when it is no longer wanted; likewise, per healthCheckNodePort (LoadBalancer Services with
// externalTrafficPolicy Local), a HealthSink.
import type { KubeObject } from '../../api/types.ts';
import { SERVICE_PROXY_NAME_LABEL } from '../../api/labels.ts';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface Backend {
  ip: string;
  port: number;
  /** the node the endpoint runs on (Endpoints' nodeName), for the Local traffic policies */
  nodeName?: string;
}

export interface ProxyEntry {
  /** `namespace/name:portName` (portName may be empty) */
  id: string;
  service: string;
  portName: string;
  protocol: Protocol;
  type: string;
  clusterIP?: string;
  port: number;
  nodePort?: number;
  /** spec.externalIPs plus status.loadBalancer.ingress[].ip */
  externalIPs: string[];
  /** those of externalIPs that are status.loadBalancer.ingress[].ip */
  loadBalancerIPs: string[];
  /** ready endpoints for this port, in the Endpoints' order */
  endpoints: Backend[];
  sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds (default 10800) */
  affinityTimeoutSeconds: number;
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  /** spec.healthCheckNodePort of a LoadBalancer Service with externalTrafficPolicy Local */
  healthCheckNodePort?: number;
  /** the Service's service.kubernetes.io/service-proxy-name label: no kernel rules (kube-proxy skips it too) */
  proxyName?: string;
}

/** A socket the data plane needs: TCP ones always on the wildcard address (one per port), UDP ones per address. */
export interface ListenSpec {
  protocol: Protocol;
  /** the bound address: '0.0.0.0' for every TCP port and UDP nodePorts, the Service IP for other UDP */
  host: string;
  port: number;
}

export interface ListenerSink {
  open(l: ListenSpec): void;
  close(l: ListenSpec): void;
}

/** Told when a healthCheckNodePort is first wanted (with its Service, `namespace/name`) and when no longer. */
export interface HealthSink {
  open(port: number, service: string): void;
  close(port: number): void;
}

export const WILDCARD = '0.0.0.0';
export const DEFAULT_AFFINITY_TIMEOUT = 10800;

export function listenKey(l: ListenSpec): string {
  return `${l.protocol}/${l.host}:${l.port}`;
}

const addrKey = (protocol: string, ip: string, port: number) => `${protocol}/${ip}:${port}`;
const nodePortKey = (protocol: string, port: number) => `${protocol}/*:${port}`;

function isIPv4(s: unknown): s is string {
  return typeof s === 'string' && /^\d{1,3}(\.\d{1,3}){3}$/.test(s);
}

const serviceKey = (o: KubeObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** The ready backends of one Service port, matched by port name and protocol as kube-proxy does. */
export function backendsFor(endpoints: KubeObject | undefined, portName: string, protocol: string): Backend[] {
  const out: Backend[] = [];
  const seen = new Set<string>();
  for (const subset of (endpoints?.subsets ?? []) as any[]) {
    const p = ((subset?.ports ?? []) as any[]).find((x) => (x?.name ?? '') === portName && (x?.protocol ?? 'TCP') === protocol);
    if (!p || typeof p.port !== 'number') continue;
    for (const a of (subset.addresses ?? []) as any[]) {
      if (!isIPv4(a?.ip)) continue;
      const k = `${a.ip}:${p.port}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(a.nodeName ? { ip: a.ip, port: p.port, nodeName: a.nodeName } : { ip: a.ip, port: p.port });
    }
  }
  return out;
}

/** The entries one Service (with its Endpoints, if any) contributes; none for headless and ExternalName Services. */
export function entriesFor(svc: KubeObject, endpoints: KubeObject | undefined): ProxyEntry[] {
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  if (type === 'ExternalName') return [];
  const clusterIP = isIPv4(spec.clusterIP) ? spec.clusterIP : undefined;
  const lbIPs: string[] = ((svc.status?.loadBalancer?.ingress ?? []) as any[]).map((i) => i?.ip).filter(isIPv4);
  const external = [...((spec.externalIPs ?? []) as unknown[]).filter(isIPv4), ...lbIPs];
  const externalIPs = [...new Set(external)];
  const proxyName = svc.metadata.labels?.[SERVICE_PROXY_NAME_LABEL];
  const withNodePort = type === 'NodePort' || type === 'LoadBalancer';
  const service = serviceKey(svc);
  const local = spec.externalTrafficPolicy === 'Local';
  const hc = type === 'LoadBalancer' && local && typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0 ? spec.healthCheckNodePort : undefined;
  const out: ProxyEntry[] = [];
  for (const p of (spec.ports ?? []) as any[]) {
    if (typeof p?.port !== 'number') continue;
    const nodePort = withNodePort && typeof p.nodePort === 'number' && p.nodePort > 0 ? p.nodePort : undefined;
    if (!clusterIP && !nodePort && externalIPs.length === 0) continue;
    const portName = p.name ?? '';
    const protocol = (p.protocol ?? 'TCP') as Protocol;
    out.push({
      id: `${service}:${portName}`,
      service,
      portName,
      protocol,
      type,
      clusterIP,
      port: p.port,
      nodePort,
      externalIPs,
      loadBalancerIPs: [...new Set(lbIPs)],
      endpoints: backendsFor(endpoints, portName, protocol),
      sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
      affinityTimeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT,
      externalTrafficPolicy: local ? 'Local' : 'Cluster',
      internalTrafficPolicy: spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
      ...(hc ? { healthCheckNodePort: hc } : {}),
      ...(proxyName !== undefined ? { proxyName } : {}),
    });
  }
  return out;
}

/** The sockets an entry needs; TCP ports in perAddress get one socket per Service IP, as UDP does. */
export function listensFor(e: ProxyEntry, perAddress?: ReadonlySet<number>): ListenSpec[] {
  if (e.protocol === 'SCTP') return [];
  const out: ListenSpec[] = [];
  const ips = [...(e.clusterIP ? [e.clusterIP] : []), ...e.externalIPs];
  if (e.protocol === 'TCP') {
    if (perAddress?.has(e.port)) for (const ip of ips) out.push({ protocol: 'TCP', host: ip, port: e.port });
    else if (ips.length) out.push({ protocol: 'TCP', host: WILDCARD, port: e.port });
    if (e.nodePort) out.push({ protocol: 'TCP', host: WILDCARD, port: e.nodePort });
  } else {
    for (const ip of ips) out.push({ protocol: 'UDP', host: ip, port: e.port });
    if (e.nodePort) out.push({ protocol: 'UDP', host: WILDCARD, port: e.nodePort });
  }
  return out;
}

/** What a lookup found: the entry and whether it came in from outside (nodePort, externalIP, LB IP). */
export interface Route {
  entry: ProxyEntry;
  external: boolean;
}

export interface ProxyTableOptions {
  sink?: ListenerSink;
  health?: HealthSink;
  /** addresses served by someone else in this process (the DNS server on 10.96.0.10): never bound nor routed */
  skipIPs?: string[];
  /**
   * TCP ports bound per Service IP instead of on the wildcard address, because something else
   * on the node listens on them (the ingress addon's 80/443 on the node's own address)
   */
  perAddressTcpPorts?: number[];
}

export class ProxyTable {
  private readonly services = new Map<string, KubeObject>();
  private readonly endpoints = new Map<string, KubeObject>();
  private readonly entries = new Map<string, ProxyEntry[]>();
  private readonly byAddr = new Map<string, ProxyEntry>();
  private readonly byNodePort = new Map<string, ProxyEntry>();
  private readonly listenCount = new Map<string, { spec: ListenSpec; n: number }>();
  private readonly healthCount = new Map<number, { service: string; n: number }>();
  private readonly sink?: ListenerSink;
  private readonly health?: HealthSink;
  private readonly skip: Set<string>;
  private readonly perAddress: ReadonlySet<number>;
  /** called with an entry id whenever an entry goes away (the picker forgets its state) */
  onRemove?: (id: string) => void;
  /** called with a Service (`namespace/name`) whenever its entries were rebuilt (the kernel rules follow) */
  onChange?: (service: string) => void;

  constructor(o: ProxyTableOptions = {}) {
    this.sink = o.sink;
    this.health = o.health;
    this.skip = new Set(o.skipIPs ?? []);
    this.perAddress = new Set(o.perAddressTcpPorts ?? []);
  }

  setService(svc: KubeObject): void {
    const k = serviceKey(svc);
    this.services.set(k, svc);
    this.rebuild(k);
  }

  deleteService(svc: KubeObject | string): void {
    const k = typeof svc === 'string' ? svc : serviceKey(svc);
    this.services.delete(k);
    this.rebuild(k);
  }

  setEndpoints(ep: KubeObject): void {
    const k = serviceKey(ep);
    this.endpoints.set(k, ep);
    if (this.services.has(k)) this.rebuild(k);
  }

  deleteEndpoints(ep: KubeObject | string): void {
    const k = typeof ep === 'string' ? ep : serviceKey(ep);
    this.endpoints.delete(k);
    if (this.services.has(k)) this.rebuild(k);
  }

  /** The entry a connection to ip:port reached: a Service IP first, else a nodePort on any local address. */
  lookup(protocol: Protocol, ip: string, port: number): Route | undefined {
    const a = this.byAddr.get(addrKey(protocol, ip, port));
    if (a) return { entry: a, external: a.clusterIP !== ip };
    const n = this.byNodePort.get(nodePortKey(protocol, port));
    return n ? { entry: n, external: true } : undefined;
  }

  /** Every entry, by Service then port name. */
  list(): ProxyEntry[] {
    return [...this.entries.keys()].sort().flatMap((k) => this.entries.get(k)!);
  }

  /** The entries of one Service (`namespace/name`). */
  entriesOf(service: string): ProxyEntry[] {
    return this.entries.get(service) ?? [];
  }

  /** The healthCheckNodePorts wanted right now, by port. */
  healthChecks(): Array<{ port: number; service: string }> {
    return [...this.healthCount].sort((a, b) => a[0] - b[0]).map(([port, h]) => ({ port, service: h.service }));
  }

  /** The sockets wanted right now. */
  listens(): ListenSpec[] {
    return [...this.listenCount.values()].map((x) => x.spec);
  }

  get size(): number {
    return this.services.size;
  }

  private rebuild(k: string): void {
    const svc = this.services.get(k);
    const next = svc ? entriesFor(svc, this.endpoints.get(k)).map((e) => this.withoutSkipped(e)).filter((e): e is ProxyEntry => !!e) : [];
    const prev = this.entries.get(k) ?? [];
    // Index the new entries first, so a socket both old and new keeps its count above zero.
    for (const e of next) this.index(e, true);
    for (const e of prev) this.index(e, false);
    if (next.length) this.entries.set(k, next);
    else this.entries.delete(k);
    const kept = new Set(next.map((e) => e.id));
    for (const e of prev) if (!kept.has(e.id)) this.onRemove?.(e.id);
    this.onChange?.(k);
  }

  private withoutSkipped(e: ProxyEntry): ProxyEntry | undefined {
    if (!this.skip.size) return e;
    const clusterIP = e.clusterIP && this.skip.has(e.clusterIP) ? undefined : e.clusterIP;
    const externalIPs = e.externalIPs.filter((ip) => !this.skip.has(ip));
    const loadBalancerIPs = e.loadBalancerIPs.filter((ip) => !this.skip.has(ip));
    if (!clusterIP && !externalIPs.length && !e.nodePort) return undefined;
    return { ...e, clusterIP, externalIPs, loadBalancerIPs };
  }

  private index(e: ProxyEntry, add: boolean): void {
    const ips = [...(e.clusterIP ? [e.clusterIP] : []), ...e.externalIPs];
    for (const ip of ips) {
      const key = addrKey(e.protocol, ip, e.port);
      if (add) this.byAddr.set(key, e);
      else if (this.byAddr.get(key) === e) this.byAddr.delete(key);
    }
    if (e.nodePort) {
      const key = nodePortKey(e.protocol, e.nodePort);
      if (add) this.byNodePort.set(key, e);
      else if (this.byNodePort.get(key) === e) this.byNodePort.delete(key);
    }
    for (const l of listensFor(e, this.perAddress)) {
      const key = listenKey(l);
      const c = this.listenCount.get(key);
      if (add) {
        if (c) c.n++;
        else {
          this.listenCount.set(key, { spec: l, n: 1 });
          this.sink?.open(l);
        }
      } else if (c && --c.n === 0) {
        this.listenCount.delete(key);
        this.sink?.close(l);
      }
    }
    if (e.healthCheckNodePort) this.countHealth(e.healthCheckNodePort, e.service, add);
  }

  private countHealth(port: number, service: string, add: boolean): void {
    const c = this.healthCount.get(port);
    if (add) {
      if (c) c.n++;
      else {
        this.healthCount.set(port, { service, n: 1 });
        this.health?.open(port, service);
      }
    } else if (c && --c.n === 0) {
      this.healthCount.delete(port);
      this.health?.close(port);
    }
  }
}
