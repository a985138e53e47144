// Node lifecycle: a node whose Ready condition has not been refreshed (lastHeartbeatTime) for
// longer than the grace period (40 s, as kube-controller-manager's node-monitor-grace-period)
// gets every kubelet-owned condition set to Unknown with reason NodeStatusUnknown and
// `Kubelet stopped posting node status.`, which kubectl shows as NotReady. Each node is looked
// at again when its grace period would run out, by the injected clock.
import { objectKey, type Informer } from '../client/informer.ts';
import { rfc3339 } from './clock.ts';
import { WorkQueue } from './queue.ts';
import { type ControllerContext, reconcileQueue } from './types.ts';
import { R } from '../api/resources.ts';
import { isNotFound } from '../api/status.ts';

const COMPONENT = 'node-controller';
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export class NodeLifecycleController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly nodeInf: Informer;
  private readonly graceMs: number;

  constructor(ctx: ControllerContext, gracePeriodMs = 40_000) {
    this.ctx = ctx;
    this.graceMs = gracePeriodMs;
    this.nodeInf = ctx.informers.for(R.nodes);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.nodeInf.addHandlers({ onAdd: (n) => this.queue.add(objectKey(n)), onUpdate: (n) => this.queue.add(objectKey(n)) });
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync(); // never act on a half-filled cache
    const node = this.nodeInf.getByKey(key);
    if (!node) return;
    const conds = (node.status?.conditions ?? []) as NodeCondition[];
    const ready = conds.find((c) => c.type === 'Ready');
    if (!ready || ready.status === 'Unknown') return;
    const beat = Date.parse(ready.lastHeartbeatTime ?? node.metadata.creationTimestamp ?? '');
    const now = this.ctx.clock.now();
    if (Number.isNaN(beat)) return;
    const left = beat + this.graceMs - now;
    if (left >= 0) {
      this.queue.addAfter(key, left + 1);
      return;
    }
    const time = rfc3339(now);
    const next = conds.map((c) =>
      KUBELET_CONDITIONS.includes(c.type) && c.status !== 'Unknown'
        ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: time }
        : c,
    );
    try {
      await this.ctx.client.update(R.nodes, undefined, node.metadata.name!, { ...node, status: { ...node.status, conditions: next } }, { subresource: 'status' });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    void this.ctx.events.event(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`, COMPONENT);
  }
}

