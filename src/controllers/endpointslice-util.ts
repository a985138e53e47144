// Pure EndpointSlice (discovery.k8s.io/v1) logic shared by the EndpointSlice controller and the
// mirroring controller: the slice contents a Service with a selector should have (grouped by
// the port set each pod resolves, at most 100 endpoints per slice, as Kubernetes), the contents
// mirrored from user-written Endpoints, and the plan that turns the existing slices of one
// Service into the wanted ones with the fewest writes (slices with the same port set are
// reused in name order; unchanged slices are not written).
import type { KubeObject, OwnerReference } from '../api/types.ts';
import { isPodReady } from './pods.ts';
import { compareAddresses, deepEqual, findPort, podHostname, sameLabels, serviceSelects, shouldPodBeInEndpoints, targetRef, withTriggerTime, HEADLESS_LABEL, type EndpointSubset, type ServicePort, type TargetRef } from './endpoints-util.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const MIRROR_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePort { name: string; port: number; protocol: string; appProtocol?: string }
export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef?: TargetRef;
}
/** What one slice should hold; ports undefined for the placeholder of a Service without endpoints. */
export interface SliceContent { addressType: 'IPv4' | 'IPv6'; ports?: SlicePort[]; endpoints: SliceEndpoint[] }

const addressType = (ip: string): 'IPv4' | 'IPv6' => (ip.includes(':') ? 'IPv6' : 'IPv4');
const groupKey = (type: string, ports: SlicePort[] | undefined): string =>
  JSON.stringify([type, (ports ?? []).map((p) => [p.name, p.port, p.protocol, p.appProtocol ?? ''])]);
const byAddress = (a: SliceEndpoint, b: SliceEndpoint): number => compareAddresses({ ip: a.addresses[0]!, targetRef: a.targetRef }, { ip: b.addresses[0]!, targetRef: b.targetRef });

/** Groups endpoints by (addressType, ports), sorted, cut into slices of at most 100. */
function chunked(groups: Map<string, SliceContent>): SliceContent[] {
  const out: SliceContent[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    g.endpoints.sort(byAddress);
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) out.push({ ...g, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  return out;
}

function add(groups: Map<string, SliceContent>, type: 'IPv4' | 'IPv6', ports: SlicePort[] | undefined, ep: SliceEndpoint): void {
  const key = groupKey(type, ports);
  let g = groups.get(key);
  if (!g) groups.set(key, (g = { addressType: type, ports, endpoints: [] }));
  g.endpoints.push(ep);
}

/**
 * The slices of a Service with a selector. Terminating pods are kept with ready false and
 * terminating true (as Kubernetes); ready = publishNotReadyAddresses or (pod Ready and not
 * terminating); serving = pod Ready. With no endpoints at all: one empty IPv4 placeholder.
 */
export function serviceSlices(svc: KubeObject, pods: KubeObject[]): SliceContent[] {
  const groups = new Map<string, SliceContent>();
  const svcPorts = (svc.spec?.ports ?? []) as ServicePort[];
  const publish = !!svc.spec?.publishNotReadyAddresses;
  for (const pod of pods) {
    if (!serviceSelects(svc, pod.metadata.labels) || !shouldPodBeInEndpoints(pod, true)) continue;
    const ports: SlicePort[] = [];
    for (const sp of svcPorts) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      const p: SlicePort = { name: sp.name ?? '', port: n, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      ports.push(p);
    }
    const serving = isPodReady(pod);
    const terminating = !!pod.metadata.deletionTimestamp;
    const ip: string = pod.status.podIP;
    const ep: SliceEndpoint = { addresses: [ip], conditions: { ready: publish || (serving && !terminating), serving, terminating } };
    const hostname = podHostname(pod, svc);
    if (hostname) ep.hostname = hostname;
    if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
    ep.targetRef = targetRef(pod);
    add(groups, addressType(ip), ports, ep);
  }
  const out = chunked(groups);
  return out.length ? out : [{ addressType: 'IPv4', endpoints: [] }];
}

/** The slices mirroring user-written Endpoints: addresses ready, notReadyAddresses not. */
export function mirroredSlices(ep: KubeObject): SliceContent[] {
  const groups = new Map<string, SliceContent>();
  for (const ss of (ep.subsets ?? []) as EndpointSubset[]) {
    const ports: SlicePort[] = (ss.ports ?? []).map((p) => {
      const out: SlicePort = { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' };
      if (p.appProtocol) out.appProtocol = p.appProtocol;
      return out;
    });
    for (const [list, ready] of [[ss.addresses ?? [], true], [ss.notReadyAddresses ?? [], false]] as const) {
      for (const a of list) {
        const e: SliceEndpoint = { addresses: [a.ip], conditions: { ready } };
        if (a.hostname) e.hostname = a.hostname;
        if (a.nodeName) e.nodeName = a.nodeName;
        if (a.targetRef) e.targetRef = a.targetRef;
        add(groups, addressType(a.ip), ports, e);
      }
    }
  }
  return chunked(groups);
}

/** Labels of a controller-made slice: the Service's, then the service name, manager and headless mark. */
export function serviceSliceLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  delete labels[HEADLESS_LABEL];
  labels[SERVICE_NAME_LABEL] = svc.metadata.name!;
  labels[MANAGED_BY_LABEL] = SLICE_CONTROLLER;
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  return labels;
}

/** Labels of a mirrored slice: the Endpoints' labels, then the service name and manager. */
export function mirrorSliceLabels(ep: KubeObject): Record<string, string> {
  return { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: ep.metadata.name!, [MANAGED_BY_LABEL]: MIRROR_CONTROLLER };
}

export function controllerOwner(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion || 'v1', kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export interface SliceTemplate {
  namespace: string;
  /** generateName prefix: `<service>-`. */
  prefix: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  owner: OwnerReference;
}

export interface SlicePlan { create: KubeObject[]; update: KubeObject[]; remove: KubeObject[] }

function sliceMatches(cur: KubeObject, want: SliceContent, t: SliceTemplate): boolean {
  return (
    cur.addressType === want.addressType &&
    deepEqual(cur.ports ?? [], want.ports ?? []) &&
    deepEqual(cur.endpoints ?? [], want.endpoints) &&
    sameLabels(cur.metadata.labels, t.labels) &&
    deepEqual(cur.metadata.ownerReferences ?? [], [t.owner])
  );
}

function body(want: SliceContent): Pick<KubeObject, 'addressType' | 'endpoints' | 'ports'> {
  const b: Record<string, unknown> = { addressType: want.addressType, endpoints: want.endpoints };
  if (want.ports) b.ports = want.ports;
  return b as Pick<KubeObject, 'addressType' | 'endpoints' | 'ports'>;
}

/**
 * Turns existing slices into wanted ones: an existing slice with the same address type and
 * port set is reused (updated only when it differs), the rest are created (named by newName)
 * or removed. triggerTime > 0 stamps last-change-trigger-time on what is written.
 */
export function planSlices(existing: KubeObject[], wanted: SliceContent[], t: SliceTemplate, newName: () => string, triggerTime: number): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], remove: [] };
  const pool = new Map<string, KubeObject[]>();
  for (const s of [...existing].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))) {
    const key = groupKey(s.addressType, s.ports);
    if (!pool.has(key)) pool.set(key, []);
    pool.get(key)!.push(s);
  }
  for (const want of wanted) {
    const cur = pool.get(groupKey(want.addressType, want.ports))?.shift();
    if (cur && sliceMatches(cur, want, t)) continue;
    const annotations = withTriggerTime({ ...(cur?.metadata.annotations ?? {}), ...(t.annotations ?? {}) }, triggerTime);
    if (cur) {
      const meta = { ...cur.metadata, labels: t.labels, ownerReferences: [t.owner] };
      if (annotations) meta.annotations = annotations;
      else delete meta.annotations;
      const next: KubeObject = { ...cur, metadata: meta, ...body(want) };
      if (!want.ports) delete next.ports;
      plan.update.push(next);
    } else {
      const meta: KubeObject['metadata'] = { name: newName(), generateName: t.prefix, namespace: t.namespace, labels: t.labels, ownerReferences: [t.owner] };
      if (annotations) meta.annotations = annotations;
      plan.create.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta, ...body(want) });
    }
  }
  for (const rest of pool.values()) plan.remove.push(...rest);
  return plan;
}
