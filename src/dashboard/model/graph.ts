// The picture the dashboard draws, as data: the cluster's objects in (Nodes, Pods, Services,
// Endpoints, Ingresses, Deployments, ReplicaSets, StatefulSets, as the informers hold them), one Graph out —
// nodes holding their pods, each Service with one endpoint per address of its Endpoints (ready
// or not, with the pod and node it names), each Ingress with its host/path rules pointing at
// Services, each Deployment and StatefulSet with its replica counts. Pure and deterministic (everything sorted),
// so the browser gets the same picture for the same objects. Its types are the feed's wire
// format (src/dashboard/web reads them).
import type { KubeObject } from '../../api/types.ts';
import { podSummary } from '../../printers/kinds/pod.ts';

export interface ClusterObjects {
  nodes: KubeObject[];
  pods: KubeObject[];
  services: KubeObject[];
  endpoints: KubeObject[];
  ingresses: KubeObject[];
  deployments: KubeObject[];
  replicasets: KubeObject[];
  statefulsets: KubeObject[];
}

/** What a box or an arrow end is: enough to ask the server for its YAML and events. */
export interface ObjectRef { kind: string; namespace?: string; name: string }

export interface NodeView {
  name: string;
  ready: boolean;
  /** `control-plane`, or none */
  roles: string[];
  /** InternalIP */
  ip?: string;
  /** ids (`namespace/name`) of the pods bound to it, sorted */
  pods: string[];
}

export interface PodView {
  /** `namespace/name` */
  id: string;
  namespace: string;
  name: string;
  node?: string;
  ip?: string;
  /** kubectl's STATUS column: Running, ContainerCreating, CrashLoopBackOff, Terminating, … */
  status: string;
  /** kubectl's READY column: `1/1` */
  readyContainers: string;
  /** the pod's Ready condition */
  ready: boolean;
  /** the top controller: a ReplicaSet's Deployment, else the direct controller */
  owner?: ObjectRef;
}

export interface EndpointView {
  ip: string;
  /** the Endpoints' ports (the Service's target ports), `name:port/protocol` or `port/protocol` */
  ports: string[];
  ready: boolean;
  /** the pod it names (`namespace/name`), when it names one */
  pod?: string;
  /** the node the address is on (its nodeName, else the node whose InternalIP it is) */
  node?: string;
}

export interface ServiceView {
  id: string;
  namespace: string;
  name: string;
  type: string;
  clusterIP?: string;
  /** `80/TCP`, `http:80→8080/TCP`, `80:30080/TCP` (with a nodePort) */
  ports: string[];
  /** `app=web`; empty for a Service without selector */
  selector: string;
  endpoints: EndpointView[];
}

export interface IngressRuleView {
  /** `*` when the rule names no host */
  host: string;
  path: string;
  pathType?: string;
  /** the backend Service's id, when the backend is a Service */
  service?: string;
  port?: string;
}

export interface IngressView {
  id: string;
  namespace: string;
  name: string;
  className?: string;
  addresses: string[];
  rules: IngressRuleView[];
}

export interface WorkloadView {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  /** spec.replicas (desired) */
  replicas: number;
  ready: number;
  available: number;
}

export interface Graph {
  namespaces: string[];
  nodes: NodeView[];
  /** pods bound to no node yet, or to a node that is not there */
  unscheduled: string[];
  pods: PodView[];
  services: ServiceView[];
  ingresses: IngressView[];
  workloads: WorkloadView[];
}

const byName = (a: { name: string; namespace?: string }, b: { name: string; namespace?: string }) =>
  (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);
const idOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const conditionTrue = (o: KubeObject, type: string) =>
  ((o.status?.conditions ?? []) as Array<{ type: string; status: string }>).some((c) => c.type === type && c.status === 'True');
const controllerOf = (o: KubeObject) => (o.metadata.ownerReferences ?? []).find((r) => r.controller);

function nodeView(n: KubeObject): NodeView {
  const labels = n.metadata.labels ?? {};
  const roles = Object.keys(labels).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).filter(Boolean).sort();
  const ip = ((n.status?.addresses ?? []) as Array<{ type: string; address: string }>).find((a) => a.type === 'InternalIP')?.address;
  return { name: n.metadata.name ?? '', ready: conditionTrue(n, 'Ready'), roles, ...(ip ? { ip } : {}), pods: [] };
}

function podView(p: KubeObject, replicasets: Map<string, KubeObject>, now: Date): PodView {
  const ns = p.metadata.namespace ?? '';
  const s = podSummary(p, now);
  let owner: ObjectRef | undefined;
  const ref = controllerOf(p);
  if (ref) {
    owner = { kind: ref.kind, namespace: ns, name: ref.name };
    const rsOwner = ref.kind === 'ReplicaSet' ? controllerOf(replicasets.get(`${ns}/${ref.name}`) ?? { apiVersion: '', kind: '', metadata: {} }) : undefined;
    if (rsOwner) owner = { kind: rsOwner.kind, namespace: ns, name: rsOwner.name };
  }
  return {
    id: idOf(p),
    namespace: ns,
    name: p.metadata.name ?? '',
    ...(p.spec?.nodeName ? { node: p.spec.nodeName as string } : {}),
    ...(p.status?.podIP ? { ip: p.status.podIP as string } : {}),
    status: s.status,
    readyContainers: s.ready,
    ready: conditionTrue(p, 'Ready'),
    ...(owner ? { owner } : {}),
  };
}

interface PortSpec { name?: string; port: number; targetPort?: number | string; nodePort?: number; protocol?: string }

function servicePorts(s: KubeObject): string[] {
  return ((s.spec?.ports ?? []) as PortSpec[]).map((p) => {
    const name = p.name ? `${p.name}:` : '';
    const target = p.targetPort !== undefined && String(p.targetPort) !== String(p.port) ? `→${p.targetPort}` : '';
    const node = p.nodePort ? `:${p.nodePort}` : '';
    return `${name}${p.port}${node}${target}/${p.protocol ?? 'TCP'}`;
  });
}

function selectorText(s: KubeObject): string {
  const sel = (s.spec?.selector ?? {}) as Record<string, string>;
  return Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',');
}

interface Address { ip: string; nodeName?: string; targetRef?: { kind?: string; namespace?: string; name?: string } }
interface Subset { addresses?: Address[]; notReadyAddresses?: Address[]; ports?: Array<{ name?: string; port: number; protocol?: string }> }

/** One endpoint per address of the Endpoints (its ports merged across subsets); ready wins. */
function endpointViews(ep: KubeObject | undefined, nodeByIP: Map<string, string>): EndpointView[] {
  const out = new Map<string, EndpointView>();
  for (const subset of (ep?.subsets ?? []) as Subset[]) {
    const ports = (subset.ports ?? []).map((p) => `${p.name ? `${p.name}:` : ''}${p.port}/${p.protocol ?? 'TCP'}`);
    for (const [addresses, ready] of [[subset.addresses ?? [], true], [subset.notReadyAddresses ?? [], false]] as const) {
      for (const a of addresses) {
        const cur = out.get(a.ip);
        const pod = a.targetRef?.kind === 'Pod' && a.targetRef.name ? `${a.targetRef.namespace ?? ep!.metadata.namespace ?? ''}/${a.targetRef.name}` : undefined;
        const node = a.nodeName ?? nodeByIP.get(a.ip);
        if (!cur) {
          out.set(a.ip, { ip: a.ip, ports: [...ports], ready, ...(pod ? { pod } : {}), ...(node ? { node } : {}) });
        } else {
          for (const p of ports) if (!cur.ports.includes(p)) cur.ports.push(p);
          cur.ready ||= ready;
        }
      }
    }
  }
  for (const e of out.values()) e.ports.sort();
  return [...out.values()].sort((a, b) => compareIPs(a.ip, b.ip));
}

export function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return a.localeCompare(b);
}

interface IngressPath { path?: string; pathType?: string; backend?: { service?: { name: string; port?: { number?: number; name?: string } } } }

function ingressView(ing: KubeObject): IngressView {
  const ns = ing.metadata.namespace ?? '';
  const backend = (b: IngressPath['backend']) => (b?.service
    ? { service: `${ns}/${b.service.name}`, port: String(b.service.port?.number ?? b.service.port?.name ?? '') }
    : {});
  const rules: IngressRuleView[] = [];
  for (const r of (ing.spec?.rules ?? []) as Array<{ host?: string; http?: { paths?: IngressPath[] } }>) {
    for (const p of r.http?.paths ?? []) {
      rules.push({ host: r.host || '*', path: p.path || '/', ...(p.pathType ? { pathType: p.pathType } : {}), ...backend(p.backend) });
    }
  }
  if (ing.spec?.defaultBackend) rules.push({ host: '*', path: '(default backend)', ...backend(ing.spec.defaultBackend) });
  const addresses = ((ing.status?.loadBalancer?.ingress ?? []) as Array<{ ip?: string; hostname?: string }>).map((a) => a.ip ?? a.hostname ?? '').filter(Boolean);
  return { id: idOf(ing), namespace: ns, name: ing.metadata.name ?? '', ...(ing.spec?.ingressClassName ? { className: ing.spec.ingressClassName as string } : {}), addresses, rules };
}

function workloadView(d: KubeObject, kind: string): WorkloadView {
  return {
    id: idOf(d),
    kind: d.kind || kind,
    namespace: d.metadata.namespace ?? '',
    name: d.metadata.name ?? '',
    replicas: d.spec?.replicas ?? 1,
    ready: d.status?.readyReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
  };
}

/** The Graph of these objects (`now` for the pods' status text, as kubectl get pods says it). */
export function buildGraph(o: ClusterObjects, now: Date = new Date()): Graph {
  const nodes = o.nodes.map(nodeView).sort(byName);
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const nodeByIP = new Map(nodes.filter((n) => n.ip).map((n) => [n.ip!, n.name]));
  const replicasets = new Map(o.replicasets.map((rs) => [idOf(rs), rs]));
  const pods = o.pods.map((p) => podView(p, replicasets, now)).sort(byName);
  const unscheduled: string[] = [];
  for (const p of pods) {
    const n = p.node ? nodeByName.get(p.node) : undefined;
    if (n) n.pods.push(p.id);
    else unscheduled.push(p.id);
  }
  const endpoints = new Map(o.endpoints.map((e) => [idOf(e), e]));
  const services: ServiceView[] = o.services.map((s) => ({
    id: idOf(s),
    namespace: s.metadata.namespace ?? '',
    name: s.metadata.name ?? '',
    type: s.spec?.type ?? 'ClusterIP',
    ...(s.spec?.clusterIP ? { clusterIP: s.spec.clusterIP as string } : {}),
    ports: servicePorts(s),
    selector: selectorText(s),
    endpoints: endpointViews(endpoints.get(idOf(s)), nodeByIP),
  })).sort(byName);
  const namespaces = new Set<string>();
  for (const x of [...pods, ...services]) namespaces.add(x.namespace);
  const ingresses = o.ingresses.map(ingressView).sort(byName);
  const workloads = [...o.deployments.map((d) => workloadView(d, 'Deployment')), ...o.statefulsets.map((s) => workloadView(s, 'StatefulSet'))]
    .sort((a, b) => byName(a, b) || a.kind.localeCompare(b.kind));
  for (const x of [...ingresses, ...workloads]) namespaces.add(x.namespace);
  return { namespaces: [...namespaces].sort(), nodes, unscheduled, pods, services, ingresses, workloads };
}
