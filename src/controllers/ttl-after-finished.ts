// The TTL-after-finished controller (pkg/controller/ttlafterfinished): a Job with
// spec.ttlSecondsAfterFinished is deleted, with its pods (foreground), that many seconds after it
// completed or failed — the time its Complete or Failed condition turned True. Time is the
// injected clock; a Job not yet due is looked at again when it is.
import type { KubeObject } from '../api/types.ts';
import { R } from '../api/resources.ts';
import { isNotFound } from '../api/status.ts';
import { objectKey, type Informer } from '../client/informer.ts';
import { WorkQueue } from './queue.ts';
import { type ControllerContext, reconcileQueue } from './types.ts';

/** When the Job finished (its terminal condition's transition), or undefined while it runs. */
export function finishedAt(job: KubeObject): number | undefined {
  const c = ((job.status?.conditions ?? []) as { type: string; status: string; lastTransitionTime?: string }[]).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  const t = c ? Date.parse(c.lastTransitionTime ?? '') : NaN;
  return Number.isNaN(t) ? undefined : t;
}

export class TTLAfterFinishedController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly jobInf: Informer;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.jobInf = ctx.informers.for(R.jobs);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    const add = (job: KubeObject) => {
      if (job.spec?.ttlSecondsAfterFinished !== undefined && job.spec?.ttlSecondsAfterFinished !== null) this.queue.add(objectKey(job));
    };
    this.jobInf.addHandlers({ onAdd: add, onUpdate: add });
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const job = this.jobInf.getByKey(key);
    const ttl = job?.spec?.ttlSecondsAfterFinished;
    if (!job || job.metadata.deletionTimestamp || typeof ttl !== 'number') return;
    const done = finishedAt(job);
    if (done === undefined) return;
    const left = done + ttl * 1000 - this.ctx.clock.now();
    if (left > 0) return this.queue.addAfter(key, left);
    try {
      await this.ctx.client.delete(R.jobs, job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Foreground' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
