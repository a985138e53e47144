// The scheduler: binds each pod without spec.nodeName to a Ready, schedulable node that fits it
// (nodeSelector, required node affinity, tolerated taints: node-fit.ts), preferring the node with the fewest pods of the same owner,
// then the fewest pods, then the name. It writes spec.nodeName, then the PodScheduled
// condition, and records `Scheduled` (`Successfully assigned default/x to node`) or
// `FailedScheduling` with kube-scheduler's message (a pod whose claim is missing or not bound
// waits, as VolumeBinding's PreFilter says); unschedulable pods are tried again whenever a node
// or a claim changes. mk has no binding subresource, so binding is an update of the pod.
import type { KubeObject } from '../api/types.ts';
import { objectKey, type Informer } from '../client/informer.ts';
import { rfc3339 } from './clock.ts';
import { unfitReason } from './node-fit.ts';
import { WorkQueue } from './queue.ts';
import { claimNames, nodeSelectorMatches } from './storage/matching.ts';
import { controllerRef, reportUnlessConflict, type ControllerContext } from './types.ts';
import { R } from '../api/resources.ts';
import { isNotFound, isConflict } from '../api/status.ts';

const COMPONENT = 'default-scheduler';

export interface Placement {
  node?: string;
  /** kube-scheduler's `0/2 nodes are available: ...` when node is undefined. */
  message?: string;
}

/** Picks a node for pod among nodes, given the pods already placed. Pure. `unresolvable`: a
 * reason no node can take the pod (an unbound claim), said as kube-scheduler's PreFilter says it;
 * `volumeNodes`: the node affinity of the volumes its claims are bound to (local volumes). */
export function choose(pod: KubeObject, nodes: KubeObject[], pods: KubeObject[], unresolvable?: string, volumeNodes: unknown[] = []): Placement {
  if (unresolvable) {
    const total = nodes.length;
    const preemption = total > 0 ? ` preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.` : '';
    return { message: `0/${total} nodes are available: ${unresolvable}.${preemption}` };
  }
  const reasons = new Map<string, number>();
  const fail = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
  const fit: KubeObject[] = [];
  for (const n of nodes) {
    const unfit = unfitReason(pod, n); // a node not Ready fails on its not-ready/unreachable taint
    if (unfit) fail(unfit);
    else if (!volumeNodes.every((a) => nodeSelectorMatches(a, n))) fail('node(s) had volume node affinity conflict');
    else fit.push(n);
  }
  if (fit.length === 0) {
    const parts = [...reasons].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, c]) => `${c} ${r}`);
    const total = nodes.length;
    const tail = parts.length ? `: ${parts.join(', ')}.` : '.';
    const preemption = total > 0 ? ` preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.` : '';
    return { message: `0/${total} nodes are available${tail}${preemption}` };
  }
  const owner = controllerRef(pod)?.uid;
  const score = (n: KubeObject): [number, number] => {
    const on = pods.filter((p) => p.spec?.nodeName === n.metadata.name && !p.metadata.deletionTimestamp);
    return [owner ? on.filter((p) => controllerRef(p)?.uid === owner).length : 0, on.length];
  };
  const ranked = fit.map((n) => ({ n, s: score(n) })).sort((a, b) => a.s[0] - b.s[0] || a.s[1] - b.s[1] || (a.n.metadata.name! < b.n.metadata.name! ? -1 : 1));
  return { node: ranked[0]!.n.metadata.name };
}

export class Scheduler {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly podInf: Informer;
  private readonly nodeInf: Informer;
  private readonly claimInf: Informer;
  private readonly volumeInf: Informer;
  private readonly classInf: Informer;
  private readonly unschedulable = new Set<string>();
  /** Bindings written but not yet seen by the informer: counted for spreading. */
  private readonly assumed = new Map<string, KubeObject>();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.podInf = ctx.informers.for(R.pods);
    this.nodeInf = ctx.informers.for(R.nodes);
    this.queue = new WorkQueue((k) => this.schedule(k), { clock: ctx.clock, onError: (_k, e) => reportUnlessConflict(ctx, e) });
    const onPod = (pod: KubeObject) => {
      const key = objectKey(pod);
      if (pod.spec?.nodeName) {
        this.assumed.delete(key);
        this.unschedulable.delete(key);
      } else if (!pod.metadata.deletionTimestamp) this.queue.add(key);
    };
    this.podInf.addHandlers({
      onAdd: onPod,
      onUpdate: onPod,
      onDelete: (pod) => {
        this.assumed.delete(objectKey(pod));
        this.unschedulable.delete(objectKey(pod));
      },
    });
    const retry = () => {
      for (const k of this.unschedulable) this.queue.add(k);
    };
    this.nodeInf.addHandlers({ onAdd: retry, onUpdate: retry, onDelete: retry });
    this.claimInf = ctx.informers.for(R.persistentvolumeclaims);
    this.volumeInf = ctx.informers.for(R.persistentvolumes);
    this.classInf = ctx.informers.for(R.storageclasses);
    this.claimInf.addHandlers({ onAdd: retry, onUpdate: retry, onDelete: retry });
  }

  /** The required node affinity of the volumes the pod's claims are bound to. */
  private volumeAffinity(pod: KubeObject): unknown[] {
    const out: unknown[] = [];
    for (const name of claimNames(pod)) {
      const volumeName = this.claimInf.get(pod.metadata.namespace, name)?.spec?.volumeName;
      const req = volumeName ? this.volumeInf.get(undefined, volumeName)?.spec?.nodeAffinity?.required : undefined;
      if (req) out.push(req);
    }
    return out;
  }

  /** VolumeBinding's PreFilter: every claim of the pod exists and, unless its class waits for a first consumer, is bound. */
  private claimProblem(pod: KubeObject): string | undefined {
    let unbound = false;
    for (const name of claimNames(pod)) {
      const claim = this.claimInf.get(pod.metadata.namespace, name);
      if (!claim) return `persistentvolumeclaim "${name}" not found`;
      if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
      if (claim.spec?.volumeName) continue;
      const sc = this.classInf.get(undefined, claim.spec?.storageClassName ?? '');
      if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') unbound = true;
    }
    return unbound ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
  }

  async schedule(key: string): Promise<void> {
    await this.ctx.informers.waitForSync(); // never act on a half-filled cache
    const pod = this.podInf.getByKey(key);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp || this.assumed.has(key)) return;
    const placed = [...this.podInf.list().filter((p) => p.spec?.nodeName && !this.assumed.has(objectKey(p))), ...this.assumed.values()];
    const { node, message } = choose(pod, this.nodeInf.list(), placed, this.claimProblem(pod), this.volumeAffinity(pod));
    const time = rfc3339(this.ctx.clock.now());
    if (!node) {
      const first = !this.unschedulable.has(key);
      this.unschedulable.add(key);
      const cond = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: time, reason: 'Unschedulable', message };
      const conds = (pod.status?.conditions ?? []) as { type: string; message?: string }[];
      const cur = conds.find((c) => c.type === 'PodScheduled');
      if (cur?.message !== message) {
        const status = { ...(pod.status ?? {}), phase: pod.status?.phase ?? 'Pending', conditions: [...conds.filter((c) => c.type !== 'PodScheduled'), cond] };
        await this.ctx.client.update(R.pods, pod.metadata.namespace, pod.metadata.name!, { ...pod, status }, { subresource: 'status' });
      }
      if (first || cur?.message !== message) void this.ctx.events.event(pod, 'Warning', 'FailedScheduling', message!, COMPONENT);
      return;
    }
    this.unschedulable.delete(key);
    let bound: KubeObject;
    try {
      bound = await this.ctx.client.update(R.pods, pod.metadata.namespace, pod.metadata.name!, { ...pod, spec: { ...pod.spec, nodeName: node } });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    this.assumed.set(key, bound);
    const conds = ((bound.status?.conditions ?? []) as { type: string }[]).filter((c) => c.type !== 'PodScheduled');
    const status = { ...(bound.status ?? {}), phase: bound.status?.phase ?? 'Pending', conditions: [...conds, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: time }] };
    try {
      await this.ctx.client.update(R.pods, bound.metadata.namespace, bound.metadata.name!, { ...bound, status }, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
    void this.ctx.events.event(bound, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, COMPONENT);
  }
}
