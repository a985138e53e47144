// Storage object in-use protection (kube-controller-manager's pvc-protection and pv-protection
// controllers): a claim deleted while a pod that is not finished still uses it stays
// Terminating, kept by its `kubernetes.io/pvc-protection` finalizer, until that pod is gone; a
// volume deleted while it is Bound stays, kept by `kubernetes.io/pv-protection`, until released.
// The finalizers are put on at creation (StorageObjectInUseProtection admission, in the API
// server); this controller only takes them off.
import type { KubeObject } from '../../api/types.ts';
import { objectKey, type Informer } from '../../client/informer.ts';
import { WorkQueue } from '../queue.ts';
import { reportUnlessConflict, type ControllerContext } from '../types.ts';
import { R } from '../../api/resources.ts';
import { isNotFound } from '../../api/status.ts';
import { claimNames } from './matching.ts';

export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

const finished = (p: KubeObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export class StorageProtectionController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly pods: Informer;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.claims = ctx.informers.for(R.persistentvolumeclaims);
    this.volumes = ctx.informers.for(R.persistentvolumes);
    this.pods = ctx.informers.for(R.pods);
    this.queue = new WorkQueue((k) => this.sync(k), { clock: ctx.clock, onError: (_k, e) => reportUnlessConflict(ctx, e) });
    const claim = (c: KubeObject) => this.queue.add(`pvc/${objectKey(c)}`);
    const volume = (v: KubeObject) => this.queue.add(`pv/${objectKey(v)}`);
    const pod = (p: KubeObject) => { for (const n of claimNames(p)) this.queue.add(`pvc/${p.metadata.namespace}/${n}`); };
    this.claims.addHandlers({ onAdd: claim, onUpdate: claim });
    this.volumes.addHandlers({ onAdd: volume, onUpdate: volume });
    this.pods.addHandlers({ onUpdate: pod, onDelete: pod });
  }

  private async release(r: typeof R.persistentvolumes, obj: KubeObject, finalizer: string): Promise<void> {
    const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    await this.ctx.client.patch(r, obj.metadata.namespace, obj.metadata.name!, { metadata: { finalizers: rest, resourceVersion: obj.metadata.resourceVersion } }, 'merge').catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }

  async sync(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const [kind, ...rest] = key.split('/');
    const k = rest.join('/');
    if (kind === 'pvc') {
      const claim = this.claims.getByKey(k);
      if (!claim?.metadata.deletionTimestamp || !claim.metadata.finalizers?.includes(PVC_PROTECTION)) return;
      const used = this.pods.list(claim.metadata.namespace).some((p) => !finished(p) && claimNames(p).includes(claim.metadata.name!));
      if (!used) await this.release(R.persistentvolumeclaims, claim, PVC_PROTECTION);
      return;
    }
    const pv = this.volumes.getByKey(k);
    if (!pv?.metadata.deletionTimestamp || !pv.metadata.finalizers?.includes(PV_PROTECTION)) return;
    if (pv.status?.phase !== 'Bound') await this.release(R.persistentvolumes, pv, PV_PROTECTION);
  }
}
