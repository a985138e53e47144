// Pure facts shared by the Endpoints and EndpointSlice controllers: which pods back a Service
// (Kubernetes' endpointutil.ShouldPodBeInEndpoints), a Service port's target port on one pod
// (podutil.FindPort: a named targetPort is looked up by name and protocol in the pod's
// containers), the hostname rule, the Endpoints subsets a Service should have (grouped as
// endpoints.RepackSubsets does: one subset per distinct port set, addresses sorted by IP then
// pod uid, ports by their hash as Kubernetes; subsets by port set, not by hash), the labels Kubernetes puts on them, and the last-change-trigger-time tracker.
import { mapMatches } from '../api/labels.ts';
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.ts';
import { isPodReady } from './pods.ts';

export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export interface ServicePort { name?: string; port: number; protocol?: string; targetPort?: number | string; appProtocol?: string }
export interface EndpointPort { name?: string; port: number; protocol: string; appProtocol?: string }
export interface TargetRef { kind: 'Pod'; namespace: string; name: string; uid: string }
export interface EndpointAddress { ip: string; hostname?: string; nodeName?: string; targetRef: TargetRef }
export interface EndpointSubset { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] }

/** A Service the controllers manage: it has a non-empty selector (selector-less Services keep user-written Endpoints). */
export function hasSelector(svc: KubeObject): boolean {
  const sel = svc.spec?.selector as Record<string, string> | undefined;
  return !!sel && Object.keys(sel).length > 0;
}

/** Service selectors are plain label maps: every pair must match. */
export function serviceSelects(svc: KubeObject, labels: Record<string, string> | undefined): boolean {
  return hasSelector(svc) && mapMatches(svc.spec.selector, labels);
}

/** An IP, not finished (per restartPolicy, as Kubernetes), and not terminating unless includeTerminating. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** The port a Service port reaches on this pod, or undefined when a named targetPort is not declared there. */
export function findPort(pod: KubeObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  const protocol = sp.protocol ?? 'TCP';
  for (const c of (pod.spec?.containers ?? []) as { ports?: { name?: string; containerPort: number; protocol?: string }[] }[]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** endpointutil.ShouldSetHostname: the pod names a hostname and its subdomain is this Service. */
export function podHostname(pod: KubeObject, svc: KubeObject): string | undefined {
  const h = pod.spec?.hostname;
  return h && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace ? h : undefined;
}

export function endpointPort(sp: ServicePort, port: number): EndpointPort {
  const out: EndpointPort = sp.name ? { name: sp.name, port, protocol: sp.protocol ?? 'TCP' } : { port, protocol: sp.protocol ?? 'TCP' };
  if (sp.appProtocol) out.appProtocol = sp.appProtocol;
  return out;
}

export function targetRef(pod: KubeObject): TargetRef {
  return { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! };
}

/** The ports of svc that this pod serves, in Service order (named target ports resolved on the pod). */
export function podPorts(svc: KubeObject, pod: KubeObject): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of (svc.spec?.ports ?? []) as ServicePort[]) {
    const n = findPort(pod, sp);
    if (n !== undefined) out.push(endpointPort(sp, n));
  }
  return out;
}

/** bytes.Compare on the IP strings, then the pod uid (endpoints.LessEndpointAddress). */
export function compareAddresses(a: { ip: string; targetRef?: { uid: string } }, b: { ip: string; targetRef?: { uid: string } }): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/**
 * Kubernetes orders the ports of a subset by the MD5 of their spew dump (RepackSubsets'
 * portsByHash over dump.ForHash); this is that dump for a core/v1 EndpointPort, so `get ep`
 * lists the ports in the order Kubernetes does (seed 002: https before http).
 */
export function portHashKey(p: EndpointPort): Buffer {
  const app = p.appProtocol === undefined ? '(*string)<nil>' : `(*string)${p.appProtocol}`;
  const dump = `(v1.EndpointPort){Name:(string)${p.name ?? ''} Port:(int32)${p.port} Protocol:(v1.Protocol)${p.protocol} AppProtocol:${app}}`;
  return createHash('md5').update(dump).digest();
}

const byPortHash = (a: EndpointPort, b: EndpointPort): number => Buffer.compare(portHashKey(a), portHashKey(b));

const portsKey = (ports: EndpointPort[]): string => JSON.stringify(ports.map((p) => [p.name ?? '', p.port, p.protocol, p.appProtocol ?? '']));

/**
 * The subsets of the Endpoints for a Service with a selector, from the pods it selects: ready
 * pods (every pod with publishNotReadyAddresses) under addresses, the others under
 * notReadyAddresses; a pod that serves none of the ports is left out (a headless Service
 * without ports lists addresses without ports). Subsets are ordered by their port sets.
 */
export function endpointSubsets(svc: KubeObject, pods: KubeObject[]): EndpointSubset[] {
  const tolerateUnready = !!svc.spec?.publishNotReadyAddresses;
  const svcPorts = (svc.spec?.ports ?? []) as ServicePort[];
  const headless = svc.spec?.clusterIP === 'None';
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (!serviceSelects(svc, pod.metadata.labels) || !shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const ports = podPorts(svc, pod);
    if (ports.length === 0 && !(svcPorts.length === 0 && headless)) continue;
    const hostname = podHostname(pod, svc);
    const addr: EndpointAddress = {
      ip: pod.status.podIP,
      ...(hostname ? { hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: targetRef(pod),
    };
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    if (tolerateUnready || isPodReady(pod)) g.ready.push(addr);
    else g.notReady.push(addr);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => {
      const s: EndpointSubset = {};
      if (g.ready.length) s.addresses = g.ready.sort(compareAddresses);
      if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(compareAddresses);
      if (g.ports.length) s.ports = [...g.ports].sort(byPortHash);
      return s;
    });
}

/** The Service's labels, plus `service.kubernetes.io/headless` for a headless Service. */
export function managedLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

export function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  if (ea.length !== Object.keys(b ?? {}).length) return false;
  return ea.every(([k, v]) => b?.[k] === v);
}

/** JSON equality with object keys in any order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped, no dot for whole seconds. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

const parseTime = (t: string | undefined): number => (t ? Date.parse(t) || 0 : 0);

function readyTransition(pod: KubeObject): number {
  const c = ((pod.status?.conditions ?? []) as { type: string; lastTransitionTime?: string }[]).find((x) => x.type === 'Ready');
  return parseTime(c?.lastTransitionTime);
}

/**
 * Kubernetes' TriggerTimeTracker: the earliest time among the changes (a pod's Ready transition,
 * the Service's creation) not seen at the previous sync of this Service; 0 when nothing changed.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, { svc: number; pods: Map<string, number> }>();

  compute(key: string, svc: KubeObject, pods: KubeObject[]): number {
    const last = this.states.get(key);
    const next = { svc: parseTime(svc.metadata.creationTimestamp), pods: new Map<string, number>() };
    let min = 0;
    const consider = (t: number) => {
      if (t > 0 && (min === 0 || t < min)) min = t;
    };
    for (const pod of pods) {
      const t = readyTransition(pod);
      next.pods.set(pod.metadata.name!, t);
      if (t > (last?.pods.get(pod.metadata.name!) ?? 0)) consider(t);
    }
    if (next.svc > (last?.svc ?? 0)) consider(next.svc);
    this.states.set(key, next);
    return min;
  }

  forget(key: string): void {
    this.states.delete(key);
  }
}

/** Sets (t > 0) or removes the trigger-time annotation; returns the new annotations (undefined when empty). */
export function withTriggerTime(annotations: Record<string, string> | undefined, t: number): Record<string, string> | undefined {
  const out = { ...(annotations ?? {}) };
  if (t > 0) out[TRIGGER_TIME_ANNOTATION] = rfc3339Nano(t);
  else delete out[TRIGGER_TIME_ANNOTATION];
  return Object.keys(out).length ? out : undefined;
}
