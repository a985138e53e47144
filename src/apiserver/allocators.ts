// ClusterIP and nodePort allocation for Services, in memory, with Kubernetes' rules and error
// texts (pkg/registry/core/service/ipallocator, portallocator, storage/alloc.go). The API
// server calls assign() before writing a Service and release() after deleting one; at start
// it rebuilds the state from the store with load(). One assign() is all or nothing: when it
// throws, nothing it did remains.
import { RESOURCES } from '../api/resources.ts';
import { cause, errors } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { DNS_IP, KUBERNETES_SERVICE_IP, NODE_PORT_RANGE, SERVICE_CIDR } from '../api/network.ts';

export interface AllocatorOptions {
  /** The Service IP range. Default '10.96.0.0/12'. */
  serviceCIDR?: string;
  /** Inclusive nodePort range. Default [30000, 32767]. */
  nodePortRange?: [number, number];
  /** IPs never handed out automatically (they can be asked for explicitly). Default kubernetes + kube-dns. */
  reserved?: string[];
}

const serviceResource = RESOURCES.find((r) => r.kind === 'Service')!;

/** Integers in [lo, hi] handed to holders; automatic picks start at a random point and wrap. */
class NumberPool {
  readonly lo: number;
  readonly hi: number;
  private readonly held = new Map<number, string>();
  private readonly skip: Set<number>; // never picked automatically
  private heldSkipped = 0;

  constructor(lo: number, hi: number, skip: Set<number> = new Set()) {
    this.lo = lo;
    this.hi = hi;
    this.skip = new Set([...skip].filter((n) => n >= lo && n <= hi));
  }

  inRange(n: number): boolean {
    return n >= this.lo && n <= this.hi;
  }
  holder(n: number): string | undefined {
    return this.held.get(n);
  }
  take(n: number, holder: string): void {
    if (this.held.has(n)) return;
    this.held.set(n, holder);
    if (this.skip.has(n)) this.heldSkipped++;
  }
  free(n: number, holder?: string): void {
    const h = this.held.get(n);
    if (h === undefined || (holder !== undefined && h !== holder)) return;
    this.held.delete(n);
    if (this.skip.has(n)) this.heldSkipped--;
  }
  /** A free number that is not skipped, or undefined when none is left. */
  pickFree(): number | undefined {
    const size = this.hi - this.lo + 1;
    const autoFree = size - this.skip.size - (this.held.size - this.heldSkipped);
    if (autoFree <= 0) return undefined;
    let n = this.lo + Math.floor(Math.random() * size);
    for (let i = 0; i < size; i++, n = n === this.hi ? this.lo : n + 1) {
      if (!this.held.has(n) && !this.skip.has(n)) return n;
    }
    return undefined;
  }
}

function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function parseCIDR(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const base = parseIPv4(ip ?? '');
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 1 || prefix > 30) throw new RangeError(`invalid service CIDR ${cidr}`);
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), size };
}

type Spec = Record<string, any>;
interface Port {
  name?: string;
  nodePort?: number;
  [k: string]: unknown;
}
/** What one assign() changed, so a failed store write can undo exactly that. */
interface Change {
  ips: number[];
  ports: number[];
  releasedIps: number[];
  releasedPorts: number[];
  holder: string;
}

const holderOf = (svc: KubeObject) => `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? svc.metadata.generateName ?? ''}`;
const typeOf = (spec: Spec | undefined) => (spec?.type as string | undefined) ?? 'ClusterIP';
const needsIP = (spec: Spec | undefined) => typeOf(spec) !== 'ExternalName';
const needsNodePorts = (spec: Spec | undefined) => typeOf(spec) === 'NodePort' || typeOf(spec) === 'LoadBalancer';
const autoNodePorts = (spec: Spec | undefined) => typeOf(spec) === 'NodePort' || (typeOf(spec) === 'LoadBalancer' && spec?.allocateLoadBalancerNodePorts !== false);
const needsHealthCheck = (spec: Spec | undefined) => typeOf(spec) === 'LoadBalancer' && spec?.externalTrafficPolicy === 'Local';
const portsOf = (spec: Spec | undefined): Port[] => (Array.isArray(spec?.ports) ? spec.ports : []);

export class ServiceAllocator {
  private readonly cidr: string;
  private readonly ipBase: number;
  private readonly ips: NumberPool; // offsets into the CIDR; network and broadcast excluded
  private readonly ports: NumberPool;
  private readonly changes = new WeakMap<KubeObject, Change>();

  constructor(opts: AllocatorOptions = {}) {
    this.cidr = opts.serviceCIDR ?? SERVICE_CIDR;
    const { base, size } = parseCIDR(this.cidr);
    this.ipBase = base;
    const reserved = new Set((opts.reserved ?? [KUBERNETES_SERVICE_IP, DNS_IP]).map((s) => (parseIPv4(s) ?? 0) - base));
    this.ips = new NumberPool(1, size - 2, reserved);
    const [lo, hi] = opts.nodePortRange ?? NODE_PORT_RANGE;
    this.ports = new NumberPool(lo, hi);
  }

  /** Rebuilds the allocations from stored Services (at start). Values out of range are ignored. */
  load(services: KubeObject[]): void {
    for (const svc of services) {
      const holder = holderOf(svc);
      const ip = this.ipOffset(svc.spec?.clusterIP);
      if (ip !== undefined && this.ips.inRange(ip)) this.ips.take(ip, holder);
      for (const n of this.nodePortsOf(svc.spec)) if (this.ports.inRange(n)) this.ports.take(n, holder);
    }
  }

  /**
   * Fills in spec.clusterIP(s), nodePorts and healthCheckNodePort on create (old undefined)
   * or update, taking what they name. Throws an ApiError (422 Invalid, or 500 when a range is
   * full) and then leaves the allocator as it was.
   */
  assign(svc: KubeObject, old?: KubeObject): void {
    const name = svc.metadata.name ?? '';
    const ch: Change = { ips: [], ports: [], releasedIps: [], releasedPorts: [], holder: holderOf(svc) };
    svc.spec ??= {};
    const spec: Spec = svc.spec;
    const oldSpec: Spec | undefined = old?.spec;
    try {
      this.assignIP(name, spec, oldSpec, ch);
      this.assignNodePorts(name, spec, oldSpec, ch);
    } catch (e) {
      for (const n of ch.ips) this.ips.free(n, ch.holder);
      for (const n of ch.ports) this.ports.free(n, ch.holder);
      throw e;
    }
    // Success: give back what the old object held and the new one no longer names.
    if (old) {
      const keepIp = this.ipOffset(spec.clusterIP);
      const oldIp = this.ipOffset(oldSpec?.clusterIP);
      if (oldIp !== undefined && oldIp !== keepIp && this.ips.holder(oldIp) === ch.holder) {
        this.ips.free(oldIp, ch.holder);
        ch.releasedIps.push(oldIp);
      }
      const keepPorts = new Set(this.nodePortsOf(spec));
      for (const n of new Set(this.nodePortsOf(oldSpec))) {
        if (!keepPorts.has(n) && this.ports.holder(n) === ch.holder) {
          this.ports.free(n, ch.holder);
          ch.releasedPorts.push(n);
        }
      }
    }
    this.changes.set(svc, ch);
  }

  /**
   * Frees what a Service holds (after it was deleted). Given the very object just passed to
   * assign() (its store write failed), undoes exactly that assign instead.
   */
  release(svc: KubeObject): void {
    const ch = this.changes.get(svc);
    if (ch) {
      this.changes.delete(svc);
      for (const n of ch.ips) this.ips.free(n, ch.holder);
      for (const n of ch.ports) this.ports.free(n, ch.holder);
      for (const n of ch.releasedIps) this.ips.take(n, ch.holder);
      for (const n of ch.releasedPorts) this.ports.take(n, ch.holder);
      return;
    }
    const holder = holderOf(svc);
    const ip = this.ipOffset(svc.spec?.clusterIP);
    if (ip !== undefined) this.ips.free(ip, holder);
    for (const n of this.nodePortsOf(svc.spec)) this.ports.free(n, holder);
  }

  private assignIP(name: string, spec: Spec, oldSpec: Spec | undefined, ch: Change): void {
    if (!needsIP(spec)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
      return;
    }
    const requested: string = spec.clusterIP || (Array.isArray(spec.clusterIPs) ? spec.clusterIPs[0] : '') || '';
    if (oldSpec && needsIP(oldSpec) && oldSpec.clusterIP) {
      // Kubernetes keeps the allocated IP when an update leaves it out, and never changes it.
      if (requested === '' || requested === oldSpec.clusterIP) {
        spec.clusterIP = oldSpec.clusterIP;
        spec.clusterIPs = [oldSpec.clusterIP];
        return;
      }
      const value = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 ? spec.clusterIPs : [requested];
      throw errors.invalid(serviceResource, name, [cause.invalid('spec.clusterIPs[0]', value, 'may not change once set')]);
    }
    if (requested === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
      return;
    }
    if (requested === '') {
      const off = this.ips.pickFree();
      if (off === undefined) throw errors.internal('failed to allocate a serviceIP: range is full');
      this.ips.take(off, ch.holder);
      ch.ips.push(off);
      const ip = formatIPv4(this.ipBase + off);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      return;
    }
    const fail = (detail: string) => errors.invalid(serviceResource, name, [cause.invalid('spec.clusterIPs', [requested], `failed to allocate IP ${requested}: ${detail}`)]);
    const off = this.ipOffset(requested);
    if (off === undefined) throw errors.invalid(serviceResource, name, [cause.invalid('spec.clusterIPs[0]', requested, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')]);
    if (!this.ips.inRange(off)) throw fail(`the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
    const holder = this.ips.holder(off);
    if (holder !== undefined && holder !== ch.holder) throw fail(`provided IP is already allocated (by service ${holder})`);
    if (holder === undefined) {
      this.ips.take(off, ch.holder);
      ch.ips.push(off);
    }
    spec.clusterIP = requested;
    spec.clusterIPs = [requested];
  }

  private assignNodePorts(name: string, spec: Spec, oldSpec: Spec | undefined, ch: Change): void {
    const ports = portsOf(spec);
    const oldPorts = portsOf(oldSpec);
    if (!needsNodePorts(spec)) {
      // Leaving NodePort/LoadBalancer drops the nodePorts the old object had (Kubernetes 1.20+).
      const had = new Set(this.nodePortsOf(oldSpec));
      for (const p of ports) if (p.nodePort !== undefined && had.has(p.nodePort)) delete p.nodePort;
      if (spec.healthCheckNodePort !== undefined && spec.healthCheckNodePort === oldSpec?.healthCheckNodePort) delete spec.healthCheckNodePort;
      return;
    }
    if (needsNodePorts(oldSpec)) {
      // An update that leaves a nodePort out keeps the old one of the port with the same name.
      const used = new Set(ports.map((p) => p.nodePort).filter((n) => n));
      const byName = new Map(oldPorts.map((p) => [p.name ?? '', p.nodePort]));
      for (const p of ports) {
        const prev = byName.get(p.name ?? '');
        if (!p.nodePort && prev && !used.has(prev)) p.nodePort = prev;
      }
      if (needsHealthCheck(spec) && !spec.healthCheckNodePort && oldSpec?.healthCheckNodePort) spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
    }
    if (!needsHealthCheck(spec) && spec.healthCheckNodePort !== undefined && spec.healthCheckNodePort === oldSpec?.healthCheckNodePort) delete spec.healthCheckNodePort;
    const mine = new Set<number>(); // numbers this Service already holds or took in this call
    for (const [i, p] of ports.entries()) {
      if (p.nodePort) this.takePort(name, `spec.ports[${i}].nodePort`, p.nodePort, ch, mine);
      else if (autoNodePorts(spec)) p.nodePort = this.nextPort('failed to allocate a nodePort', ch, mine);
    }
    if (!needsHealthCheck(spec)) return;
    if (spec.healthCheckNodePort) this.takePort(name, 'spec.healthCheckNodePort', spec.healthCheckNodePort, ch, mine);
    else spec.healthCheckNodePort = this.nextPort('failed to allocate a HealthCheck NodePort', ch, mine);
  }

  private takePort(name: string, field: string, n: number, ch: Change, mine: Set<number>): void {
    if (mine.has(n)) return; // the same number on two ports of one Service (TCP and UDP)
    const invalid = (detail: string) => errors.invalid(serviceResource, name, [cause.invalid(field, n, detail)]);
    if (!this.ports.inRange(n)) throw invalid(`provided port is not in the valid range. The range of valid ports is ${this.ports.lo}-${this.ports.hi}`);
    const holder = this.ports.holder(n);
    if (holder !== undefined && holder !== ch.holder) throw invalid(`provided port is already allocated (by service ${holder})`);
    if (holder === undefined) {
      this.ports.take(n, ch.holder);
      ch.ports.push(n);
    }
    mine.add(n);
  }

  private nextPort(what: string, ch: Change, mine: Set<number>): number {
    const n = this.ports.pickFree();
    if (n === undefined) throw errors.internal(`${what}: range is full`);
    this.ports.take(n, ch.holder);
    ch.ports.push(n);
    mine.add(n);
    return n;
  }

  private ipOffset(ip: unknown): number | undefined {
    if (typeof ip !== 'string') return undefined;
    const n = parseIPv4(ip);
    return n === undefined ? undefined : n - this.ipBase;
  }

  private nodePortsOf(spec: Spec | undefined): number[] {
    const out = portsOf(spec).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number' && n > 0);
    if (typeof spec?.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0) out.push(spec.healthCheckNodePort);
    return out;
  }
}
