// The dashboard's tests' cluster: builders of the objects it draws (a node, a Deployment's
// ReplicaSet and pods, a Service and its Endpoints, an Ingress, an Event) as the API server
// stores them, and a fake ListWatchClient whose lists answer from a set of objects and whose
// watches stream what a test puts or deletes (or fail, as an API server that went away).
import type { ResourceType } from '../api/resources.ts';
import { ApiError } from '../api/status.ts';
import type { KubeList, KubeObject, WatchEvent } from '../api/types.ts';
import type { ListWatchClient } from '../client/informer.ts';
import type { ClusterObjects } from './model/graph.ts';

let rv = 100;
const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({ name, ...(namespace ? { namespace } : {}), uid: `uid-${namespace ?? ''}-${name}`, resourceVersion: String(++rv), ...extra });

export function node(name: string, ip: string, o: { ready?: boolean; controlPlane?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: meta(name, undefined, { labels: { 'kubernetes.io/hostname': name, ...(o.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } }),
    status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }], conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

export function deployment(name: string, replicas: number, ready = replicas, namespace = 'default'): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, namespace), spec: { replicas, selector: { matchLabels: { app: name } } }, status: { replicas, readyReplicas: ready, availableReplicas: ready } };
}

export function statefulSet(name: string, replicas: number, ready = replicas, namespace = 'default'): KubeObject {
  return { ...deployment(name, replicas, ready, namespace), kind: 'StatefulSet' };
}

export function replicaSet(deploy: string, hash: string, namespace = 'default'): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta(`${deploy}-${hash}`, namespace, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deploy, uid: `uid-${namespace}-${deploy}`, controller: true }] }), spec: { replicas: 1 } };
}

/** A pod of ReplicaSet `rs` (or a bare pod without), on `nodeName`, Running and ready unless told. */
export function pod(name: string, o: { node?: string; ip?: string; ready?: boolean; rs?: string; namespace?: string; phase?: string; waiting?: string } = {}): KubeObject {
  const ready = o.ready ?? true;
  const ns = o.namespace ?? 'default';
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta(name, ns, { labels: { app: name.split('-')[0] }, ...(o.rs ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.rs, uid: `uid-${ns}-${o.rs}`, controller: true }] } : {}), creationTimestamp: '2026-01-01T00:00:00Z' }),
    spec: { ...(o.node ? { nodeName: o.node } : {}), containers: [{ name: 'c', image: 'echo' }] },
    status: {
      phase: o.phase ?? (o.node ? 'Running' : 'Pending'),
      ...(o.ip ? { podIP: o.ip } : {}),
      conditions: [{ type: 'Ready', status: ready && o.node ? 'True' : 'False' }],
      ...(o.node ? { containerStatuses: [{ name: 'c', ready: ready, restartCount: 0, state: o.waiting ? { waiting: { reason: o.waiting } } : { running: { startedAt: '2026-01-01T00:00:00Z' } } }] } : {}),
    },
  };
}

export function service(name: string, clusterIP: string, o: { ports?: Array<Record<string, unknown>>; selector?: Record<string, string> | null; type?: string; namespace?: string } = {}): KubeObject {
  const selector = o.selector === null ? undefined : o.selector ?? { app: name };
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, o.namespace ?? 'default'), spec: { type: o.type ?? 'ClusterIP', clusterIP, ...(selector ? { selector } : {}), ports: o.ports ?? [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } };
}

export interface Addr { ip: string; pod?: string; node?: string }

/** The Endpoints of a Service: ready and not-ready addresses, one port. */
export function endpoints(name: string, ready: Addr[], notReady: Addr[] = [], o: { port?: number; namespace?: string } = {}): KubeObject {
  const ns = o.namespace ?? 'default';
  const addr = (a: Addr) => ({ ip: a.ip, ...(a.node ? { nodeName: a.node } : {}), ...(a.pod ? { targetRef: { kind: 'Pod', namespace: ns, name: a.pod } } : {}) });
  const subsets = ready.length || notReady.length
    ? [{ ...(ready.length ? { addresses: ready.map(addr) } : {}), ...(notReady.length ? { notReadyAddresses: notReady.map(addr) } : {}), ports: [{ port: o.port ?? 8080, protocol: 'TCP' }] }]
    : [];
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: meta(name, ns), subsets };
}

export function ingress(name: string, rules: Array<{ host?: string; path: string; service: string; port: number }>, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta(name, namespace),
    spec: { ingressClassName: 'nginx', rules: rules.map((r) => ({ ...(r.host ? { host: r.host } : {}), http: { paths: [{ path: r.path, pathType: 'Prefix', backend: { service: { name: r.service, port: { number: r.port } } } }] } })) },
    status: { loadBalancer: { ingress: [{ ip: '192.168.49.2' }] } },
  };
}

export function event(about: KubeObject, reason: string, message: string, at: string, o: { type?: string; count?: number } = {}): KubeObject {
  const { name, namespace, uid } = about.metadata;
  return {
    apiVersion: 'v1', kind: 'Event', metadata: meta(`${name}.${reason.toLowerCase()}`, namespace ?? 'default'),
    involvedObject: { kind: about.kind, name, ...(namespace ? { namespace } : {}), uid }, reason, message, type: o.type ?? 'Normal',
    source: { component: 'kubelet' }, firstTimestamp: at, lastTimestamp: at, count: o.count ?? 1,
  };
}

export const NO_OBJECTS: ClusterObjects = { nodes: [], pods: [], services: [], endpoints: [], ingresses: [], deployments: [], replicasets: [], statefulsets: [] };

/** One web Deployment of `n` ready pods on two nodes, its Service and Endpoints. */
export function webCluster(n = 2): ClusterObjects {
  const pods = Array.from({ length: n }, (_, i) => pod(`web-abc-${i}`, { node: i % 2 ? 'mk-m02' : 'mk', ip: `10.244.${i % 2}.${10 + i}`, rs: 'web-abc' }));
  return {
    ...NO_OBJECTS,
    nodes: [node('mk', '192.168.49.2', { controlPlane: true }), node('mk-m02', '192.168.49.3')],
    pods,
    services: [service('web', '10.96.0.20')],
    endpoints: [endpoints('web', pods.map((p) => ({ ip: p.status!.podIP as string, pod: p.metadata.name!, node: p.spec!.nodeName as string })))],
    deployments: [deployment('web', n)],
    replicasets: [replicaSet('web', 'abc')],
  };
}

/** A ListWatchClient over a set of objects: `put`/`remove` stream to open watches; `fail` makes
 * every call throw until `recover`. */
export class FakeClient implements ListWatchClient {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Set<{ plural: string; push(e: WatchEvent): void; wake(): void }>();
  private failing?: string;
  /** kinds (plurals) this server does not serve: 404 as kube-apiserver answers */
  private readonly unserved: Set<string>;

  constructor(objects: KubeObject[] = [], o: { unserved?: string[] } = {}) {
    for (const obj of objects) this.store(obj);
    this.unserved = new Set(o.unserved ?? []);
  }

  private static plural(kind: string): string {
    return { Node: 'nodes', Pod: 'pods', Service: 'services', Endpoints: 'endpoints', Ingress: 'ingresses', Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets', Event: 'events' }[kind] ?? kind;
  }

  private store(o: KubeObject): Map<string, KubeObject> {
    const p = FakeClient.plural(o.kind);
    let m = this.objects.get(p);
    if (!m) this.objects.set(p, (m = new Map()));
    m.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    return m;
  }

  put(o: KubeObject): void {
    const key = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const existed = this.objects.get(FakeClient.plural(o.kind))?.has(key);
    const stored = { ...o, metadata: { ...o.metadata, resourceVersion: String(++rv) } };
    this.store(stored);
    for (const w of this.watchers) if (w.plural === FakeClient.plural(o.kind)) w.push({ type: existed ? 'MODIFIED' : 'ADDED', object: stored });
  }

  remove(o: KubeObject): void {
    this.objects.get(FakeClient.plural(o.kind))?.delete(`${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    for (const w of this.watchers) if (w.plural === FakeClient.plural(o.kind)) w.push({ type: 'DELETED', object: o });
  }

  /** Every call fails, and the open watches end with the error, until recover(). */
  fail(message: string): void {
    this.failing = message;
    for (const w of this.watchers) w.wake();
  }

  recover(): void {
    this.failing = undefined;
  }

  async list(r: ResourceType): Promise<KubeList> {
    if (this.failing) throw new Error(this.failing);
    if (this.unserved.has(r.plural)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return { apiVersion: 'v1', kind: `${r.kind}List`, metadata: { resourceVersion: String(rv) }, items: [...(this.objects.get(r.plural)?.values() ?? [])] };
  }

  async *watch(r: ResourceType, o?: { signal?: AbortSignal }): AsyncIterable<WatchEvent> {
    if (this.failing) throw new Error(this.failing);
    if (this.unserved.has(r.plural)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const queue: WatchEvent[] = [];
    let wake: (() => void) | undefined;
    const w = { plural: r.plural, push: (e: WatchEvent) => { queue.push(e); wake?.(); }, wake: () => wake?.() };
    this.watchers.add(w);
    try {
      while (!o?.signal?.aborted) {
        if (this.failing) throw new Error(this.failing);
        if (queue.length) {
          yield queue.shift()!;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          o?.signal?.addEventListener('abort', () => resolve(), { once: true });
        });
        wake = undefined;
      }
    } finally {
      this.watchers.delete(w);
    }
  }
}
