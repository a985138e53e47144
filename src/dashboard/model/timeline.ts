// What changed between two pictures of the cluster, in users' words, for the page's timeline: a
// Deployment scaled, a pod created, ready, no longer ready or gone, a Service gaining or losing
// an endpoint (and losing its last ready one), a node going NotReady, a Service or an Ingress
// created or deleted. Pure: the feed calls it with the graph it sent last and the new one.
import type { EndpointView, Graph, ObjectRef } from './graph.ts';

export interface TimelineEntry {
  /** ms since the epoch */
  at: number;
  /** warning: something lost (readiness, endpoints, a node) */
  level: 'info' | 'warning';
  text: string;
  object?: ObjectRef;
}

type Change = Omit<TimelineEntry, 'at'>;

function byId<T extends { id: string }>(xs: T[]): Map<string, T> {
  return new Map(xs.map((x) => [x.id, x]));
}

const ref = (kind: string, id: string): ObjectRef => {
  const i = id.indexOf('/');
  return { kind, namespace: id.slice(0, i), name: id.slice(i + 1) };
};

function endpointName(e: EndpointView): string {
  return e.pod ? `${e.ip} (${e.pod.slice(e.pod.indexOf('/') + 1)})` : e.ip;
}

/** The changes from `prev` to `next`, in a stable order (nodes, workloads, pods, Services, Ingresses). */
export function graphChanges(prev: Graph, next: Graph): Change[] {
  const out: Change[] = [];
  const oldNodes = new Map(prev.nodes.map((n) => [n.name, n]));
  for (const n of next.nodes) {
    const o = oldNodes.get(n.name);
    const node = { kind: 'Node', name: n.name };
    if (!o) out.push({ level: 'info', text: `Node ${n.name} joined${n.ready ? '' : ' (NotReady)'}`, object: node });
    else if (o.ready !== n.ready) out.push({ level: n.ready ? 'info' : 'warning', text: `Node ${n.name} is ${n.ready ? 'Ready' : 'NotReady'}`, object: node });
  }
  const newNodes = new Set(next.nodes.map((n) => n.name));
  for (const n of prev.nodes) if (!newNodes.has(n.name)) out.push({ level: 'warning', text: `Node ${n.name} left the cluster` });

  const oldWorkloads = byId(prev.workloads);
  for (const w of next.workloads) {
    const o = oldWorkloads.get(w.id);
    const object = ref(w.kind, w.id);
    if (!o) out.push({ level: 'info', text: `${w.kind} ${w.id} created with ${w.replicas} replica${w.replicas === 1 ? '' : 's'}`, object });
    else if (o.replicas !== w.replicas) out.push({ level: 'info', text: `${w.kind} ${w.id} scaled from ${o.replicas} to ${w.replicas}`, object });
  }
  const newWorkloads = byId(next.workloads);
  for (const w of prev.workloads) if (!newWorkloads.has(w.id)) out.push({ level: 'info', text: `${w.kind} ${w.id} deleted` });

  const oldPods = byId(prev.pods);
  for (const p of next.pods) {
    const o = oldPods.get(p.id);
    const object = ref('Pod', p.id);
    if (!o) out.push({ level: 'info', text: `Pod ${p.id} created${p.node ? ` on ${p.node}` : ''}`, object });
    else {
      if (!o.node && p.node) out.push({ level: 'info', text: `Pod ${p.id} scheduled to ${p.node}`, object });
      if (o.ready !== p.ready) out.push({ level: p.ready ? 'info' : 'warning', text: `Pod ${p.id} is ${p.ready ? 'ready' : `not ready (${p.status})`}`, object });
      else if (o.status !== p.status && p.status === 'Terminating') out.push({ level: 'info', text: `Pod ${p.id} is terminating`, object });
    }
  }
  const newPods = byId(next.pods);
  for (const p of prev.pods) if (!newPods.has(p.id)) out.push({ level: 'info', text: `Pod ${p.id} deleted` });

  const oldServices = byId(prev.services);
  for (const s of next.services) {
    const o = oldServices.get(s.id);
    const object = ref('Service', s.id);
    if (!o) {
      out.push({ level: 'info', text: `Service ${s.id} created (${s.type}${s.clusterIP && s.clusterIP !== 'None' ? ` ${s.clusterIP}` : ''})`, object });
      continue;
    }
    const before = new Map(o.endpoints.map((e) => [e.ip, e]));
    const after = new Map(s.endpoints.map((e) => [e.ip, e]));
    for (const e of s.endpoints) {
      const b = before.get(e.ip);
      if (!b) out.push({ level: 'info', text: `Service ${s.id}: endpoint ${endpointName(e)} added${e.ready ? '' : ' (not ready)'}`, object });
      else if (b.ready !== e.ready) out.push({ level: e.ready ? 'info' : 'warning', text: `Service ${s.id}: endpoint ${endpointName(e)} ${e.ready ? 'ready' : 'not ready'}`, object });
    }
    for (const e of o.endpoints) if (!after.has(e.ip)) out.push({ level: 'warning', text: `Service ${s.id}: endpoint ${endpointName(e)} removed`, object });
    const readyBefore = o.endpoints.filter((e) => e.ready).length;
    const readyAfter = s.endpoints.filter((e) => e.ready).length;
    if (readyBefore > 0 && readyAfter === 0) out.push({ level: 'warning', text: `Service ${s.id} has no ready endpoints`, object });
  }
  const newServices = byId(next.services);
  for (const s of prev.services) if (!newServices.has(s.id)) out.push({ level: 'info', text: `Service ${s.id} deleted` });

  const oldIngresses = byId(prev.ingresses);
  for (const i of next.ingresses) {
    if (!oldIngresses.has(i.id)) out.push({ level: 'info', text: `Ingress ${i.id} created (${i.rules.map((r) => `${r.host}${r.path}`).join(', ') || 'no rules'})`, object: ref('Ingress', i.id) });
  }
  const newIngresses = byId(next.ingresses);
  for (const i of prev.ingresses) if (!newIngresses.has(i.id)) out.push({ level: 'info', text: `Ingress ${i.id} deleted` });
  return out;
}

/** The last `max` entries: the timeline the page shows, newest last. */
export class Timeline {
  private readonly max: number;
  readonly entries: TimelineEntry[] = [];

  constructor(max = 200) {
    this.max = max;
  }

  /** Records the changes from prev to next at `at`; returns the entries added. */
  record(prev: Graph, next: Graph, at: number): TimelineEntry[] {
    const added = graphChanges(prev, next).map((c) => ({ at, ...c }));
    this.entries.push(...added);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    return added;
  }
}
