// The PersistentVolume controller's binder (kube-controller-manager's persistentvolume-binder):
// a pending claim gets the volume findVolumeFor picks — both sides written: the volume's claimRef
// and phase Bound, the claim's volumeName, bind annotations, status Bound with the volume's
// modes and capacity. A claim no volume satisfies waits: for its class's provisioner (annotated
// volume.kubernetes.io/storage-provisioner, ExternalProvisioning event), for a first consumer
// (WaitForFirstConsumer), or says why nothing will come. A volume whose claim is gone is Released,
// then kept (Retain) or handed to its deleter (Delete: the provisioner that made it). Claims made
// without a class get the default class once one exists (retroactive default class).
import type { KubeObject } from '../../api/types.ts';
import { objectKey, type Informer } from '../../client/informer.ts';
import { WorkQueue } from '../queue.ts';
import { reportUnlessConflict, type ControllerContext } from '../types.ts';
import { R } from '../../api/resources.ts';
import { ANN, claimNames, classOf, defaultClass, findVolumeFor, reservedFor } from './matching.ts';

const COMPONENT = 'persistentvolume-controller';
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export class PersistentVolumeBinder {
  readonly claimQueue: WorkQueue;
  readonly volumeQueue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly classes: Informer;
  private readonly pods: Informer;
  /** claims already told why they wait (one event per reason, as the controller's resyncs would repeat it) */
  private readonly told = new Map<string, string>();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.claims = ctx.informers.for(R.persistentvolumeclaims);
    this.volumes = ctx.informers.for(R.persistentvolumes);
    this.classes = ctx.informers.for(R.storageclasses);
    this.pods = ctx.informers.for(R.pods);
    const onError = (_k: string, e: unknown) => reportUnlessConflict(ctx, e);
    this.claimQueue = new WorkQueue((k) => this.syncClaim(k), { clock: ctx.clock, onError });
    this.volumeQueue = new WorkQueue((k) => this.syncVolume(k), { clock: ctx.clock, onError });
    const claimChanged = (c: KubeObject) => {
      this.claimQueue.add(objectKey(c));
      for (const v of this.volumes.list()) if (v.spec?.claimRef?.name === c.metadata.name && v.spec?.claimRef?.namespace === c.metadata.namespace) this.volumeQueue.add(objectKey(v));
    };
    this.claims.addHandlers({ onAdd: claimChanged, onUpdate: claimChanged, onDelete: (c) => { this.told.delete(objectKey(c)); claimChanged(c); } });
    const volumeChanged = (v: KubeObject) => {
      this.volumeQueue.add(objectKey(v));
      const ref = v.spec?.claimRef;
      if (ref?.name) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
      this.pendingClaims();
    };
    this.volumes.addHandlers({ onAdd: volumeChanged, onUpdate: volumeChanged, onDelete: volumeChanged });
    this.classes.addHandlers({ onAdd: () => this.pendingClaims(), onUpdate: () => this.pendingClaims() });
    // a first consumer of a WaitForFirstConsumer claim
    this.pods.addHandlers({ onAdd: (p) => { for (const c of claimNames(p)) this.claimQueue.add(`${p.metadata.namespace}/${c}`); } });
  }

  private pendingClaims(): void {
    for (const c of this.claims.list()) if (!c.spec?.volumeName) this.claimQueue.add(objectKey(c));
  }

  private tell(claim: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const key = objectKey(claim);
    if (this.told.get(key) === `${reason}/${message}`) return;
    this.told.set(key, `${reason}/${message}`);
    void this.ctx.events.event(claim, type, reason, message, COMPONENT);
  }

  async syncClaim(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const claim = this.claims.getByKey(key);
    if (!claim || claim.metadata.deletionTimestamp) return;
    const volumeName: string | undefined = claim.spec?.volumeName;
    if (volumeName) {
      const pv = this.volumes.get(undefined, volumeName);
      if (!pv) {
        if (claim.status?.phase === 'Bound') {
          await this.claimStatus(claim, { phase: 'Lost' });
          this.tell(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
        }
        return;
      }
      if (pv.spec?.claimRef && !reservedFor(pv, claim)) {
        this.tell(claim, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
        return;
      }
      await this.bind(pv, claim);
      return;
    }
    if (claim.spec?.storageClassName === undefined && claim.metadata.annotations?.[ANN.betaStorageClass] === undefined) {
      const dc = defaultClass(this.classes.list());
      if (dc) {
        await this.ctx.client.patch(R.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name!, { spec: { storageClassName: dc.metadata.name } }, 'merge');
        return;
      }
    }
    const pv = findVolumeFor(claim, this.volumes.list());
    if (pv) {
      await this.bind(pv, claim);
      return;
    }
    const cls = classOf(claim);
    if (!cls) {
      this.tell(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    const sc = this.classes.get(undefined, cls);
    if (!sc) {
      this.tell(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`);
      return;
    }
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !this.pods.list(claim.metadata.namespace).some((p) => claimNames(p).includes(claim.metadata.name!))) {
      this.tell(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    if (sc.provisioner === NO_PROVISIONER) {
      this.tell(claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${NO_PROVISIONER}`);
      return;
    }
    const ann = claim.metadata.annotations ?? {};
    if (ann[ANN.storageProvisioner] !== sc.provisioner) {
      await this.ctx.client.patch(R.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name!, {
        metadata: { annotations: { [ANN.storageProvisioner]: sc.provisioner, [ANN.betaStorageProvisioner]: sc.provisioner } },
      }, 'merge');
    }
    this.tell(claim, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
  }

  /** Both sides of a binding, each step skipped when already so (safe to repeat). */
  private async bind(pv: KubeObject, claim: KubeObject): Promise<void> {
    const ns = claim.metadata.namespace!;
    const ref = pv.spec?.claimRef;
    if (!ref?.uid) {
      pv = await this.ctx.client.patch(R.persistentvolumes, undefined, pv.metadata.name!, {
        metadata: ref ? {} : { annotations: { [ANN.boundByController]: 'yes' } },
        spec: { claimRef: { kind: 'PersistentVolumeClaim', namespace: ns, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion } },
      }, 'merge');
    }
    if (pv.status?.phase !== 'Bound') {
      pv = await this.ctx.client.patch(R.persistentvolumes, undefined, pv.metadata.name!, { status: { phase: 'Bound' } }, 'merge', { subresource: 'status' });
    }
    const ann = claim.metadata.annotations ?? {};
    if (claim.spec?.volumeName !== pv.metadata.name || ann[ANN.bindCompleted] !== 'yes') {
      const annotations: Record<string, string> = { [ANN.bindCompleted]: 'yes' };
      if (!claim.spec?.volumeName) annotations[ANN.boundByController] = 'yes';
      claim = await this.ctx.client.patch(R.persistentvolumeclaims, ns, claim.metadata.name!, { metadata: { annotations }, spec: { volumeName: pv.metadata.name } }, 'merge');
    }
    const want = { phase: 'Bound', accessModes: pv.spec?.accessModes ?? [], capacity: pv.spec?.capacity ?? {} };
    const st = claim.status ?? {};
    if (st.phase !== 'Bound' || JSON.stringify(st.accessModes) !== JSON.stringify(want.accessModes) || JSON.stringify(st.capacity) !== JSON.stringify(want.capacity)) {
      await this.claimStatus(claim, want);
    }
    this.told.delete(objectKey(claim));
  }

  private async claimStatus(claim: KubeObject, status: Record<string, unknown>): Promise<void> {
    await this.ctx.client.patch(R.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name!, { status }, 'merge', { subresource: 'status' });
  }

  private async volumePhase(pv: KubeObject, phase: string, message?: string): Promise<void> {
    if (pv.status?.phase === phase && (pv.status?.message ?? undefined) === message) return;
    await this.ctx.client.patch(R.persistentvolumes, undefined, pv.metadata.name!, { status: { phase, message: message ?? null } }, 'merge', { subresource: 'status' });
  }

  async syncVolume(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const pv = this.volumes.getByKey(key);
    if (!pv || pv.metadata.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref?.name) return this.volumePhase(pv, 'Available');
    const claim = this.claims.get(ref.namespace, ref.name);
    if (!ref.uid) {
      // reserved for a claim by name: available to it until it binds
      if (claim) this.claimQueue.add(objectKey(claim));
      return this.volumePhase(pv, 'Available');
    }
    if (claim && claim.metadata.uid === ref.uid) {
      if (claim.spec?.volumeName === pv.metadata.name) return this.volumePhase(pv, 'Bound');
      if (!claim.spec?.volumeName) { this.claimQueue.add(objectKey(claim)); return; }
      // the claim went to another volume: give this one back when the binder reserved it
      if (pv.metadata.annotations?.[ANN.boundByController] === 'yes') {
        await this.ctx.client.patch(R.persistentvolumes, undefined, pv.metadata.name!, { spec: { claimRef: null } }, 'merge');
        return;
      }
    }
    // the claim is gone
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') await this.volumePhase(pv, 'Released');
    const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Delete' && !pv.metadata.annotations?.[ANN.provisionedBy]) {
      const message = `error getting deleter volume plugin for volume "${pv.metadata.name}": no deletable volume plugin matched`;
      await this.volumePhase({ ...pv, status: { phase: 'Released' } }, 'Failed', message);
      void this.ctx.events.event(pv, 'Warning', 'VolumeFailedDelete', message, COMPONENT);
    } else if (policy === 'Recycle') {
      const message = 'mk cannot recycle volumes: delete the volume and create it again';
      await this.volumePhase({ ...pv, status: { phase: 'Released' } }, 'Failed', message);
      void this.ctx.events.event(pv, 'Warning', 'VolumeFailedRecycle', message, COMPONENT);
    }
  }
}
