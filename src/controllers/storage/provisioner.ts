// The storage-provisioner addon's provisioner (minikube's k8s.io/minikube-hostpath): for a claim
// the binder handed to it (volume.kubernetes.io/storage-provisioner) it makes the directory
// /tmp/hostpath-provisioner/<namespace>/<claim> (0777) and a PersistentVolume `pvc-<claim uid>`
// of that hostPath, reserved for the claim, with its class's reclaim policy; the binder then binds
// them. A Released volume it made with policy Delete loses its directory, then its object. It
// works while the addon is enabled (kube-system/mk-addons does not say `disabled`); the files are
// reached through a HostPathStore (the control plane's view of the state volume).
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/types.ts';
import { objectKey, type Informer } from '../../client/informer.ts';
import { ADDONS_CONFIGMAP, ADDONS_NAMESPACE } from '../../addons/state.ts';
import { HOSTPATH_PROVISIONER, STORAGE_PROVISIONER, enabledByDefault } from '../../addons/storage.ts';
import { WorkQueue } from '../queue.ts';
import { reportUnlessConflict, type ControllerContext } from '../types.ts';
import { R } from '../../api/resources.ts';
import { isAlreadyExists, isNotFound } from '../../api/status.ts';
import { ANN } from './matching.ts';

export const PROVISIONER_ROOT = '/tmp/hostpath-provisioner';

/** The provisioner's files: hostPath directories, the same on every node. */
export interface HostPathStore {
  /** makes the directory of this hostPath (0777) */
  make(path: string): Promise<void>;
  /** removes it and what it holds; no error when it is not there */
  remove(path: string): Promise<void>;
}

export function provisionedVolume(claim: KubeObject, sc: KubeObject, identity: string): KubeObject {
  const ns = claim.metadata.namespace!;
  return {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: {
      name: `pvc-${claim.metadata.uid}`,
      annotations: { hostPathProvisionerIdentity: identity, [ANN.provisionedBy]: HOSTPATH_PROVISIONER },
    },
    spec: {
      accessModes: claim.spec?.accessModes ?? [],
      capacity: { storage: claim.spec?.resources?.requests?.storage },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata.name, namespace: ns, resourceVersion: claim.metadata.resourceVersion, uid: claim.metadata.uid },
      hostPath: { path: `${PROVISIONER_ROOT}/${ns}/${claim.metadata.name}`, type: '' },
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    },
  };
}

export class HostPathProvisioner {
  readonly claimQueue: WorkQueue;
  readonly volumeQueue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly store: HostPathStore;
  private readonly identity: string;
  private readonly component: string;
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly classes: Informer;
  private readonly configMaps: Informer;

  constructor(ctx: ControllerContext, store: HostPathStore, identity: string) {
    this.ctx = ctx;
    this.store = store;
    this.identity = identity;
    this.component = `${HOSTPATH_PROVISIONER}_${identity}_${randomUUID()}`;
    this.claims = ctx.informers.for(R.persistentvolumeclaims);
    this.volumes = ctx.informers.for(R.persistentvolumes);
    this.classes = ctx.informers.for(R.storageclasses);
    this.configMaps = ctx.informers.for(R.configmaps);
    const onError = (_k: string, e: unknown) => reportUnlessConflict(ctx, e);
    this.claimQueue = new WorkQueue((k) => this.syncClaim(k), { clock: ctx.clock, onError });
    this.volumeQueue = new WorkQueue((k) => this.syncVolume(k), { clock: ctx.clock, onError });
    const all = () => {
      for (const c of this.claims.list()) if (!c.spec?.volumeName) this.claimQueue.add(objectKey(c));
      for (const v of this.volumes.list()) this.volumeQueue.add(objectKey(v));
    };
    this.claims.addHandlers({ onAdd: (c) => this.claimQueue.add(objectKey(c)), onUpdate: (c) => this.claimQueue.add(objectKey(c)) });
    this.volumes.addHandlers({ onAdd: (v) => this.volumeQueue.add(objectKey(v)), onUpdate: (v) => this.volumeQueue.add(objectKey(v)) });
    this.configMaps.addHandlers({ onAdd: all, onUpdate: all });
  }

  private enabled(): boolean {
    const cm = this.configMaps.get(ADDONS_NAMESPACE, ADDONS_CONFIGMAP);
    return enabledByDefault(cm?.data?.[STORAGE_PROVISIONER]);
  }

  async syncClaim(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const claim = this.claims.getByKey(key);
    if (!claim || claim.metadata.deletionTimestamp || claim.spec?.volumeName || !this.enabled()) return;
    if (claim.metadata.annotations?.[ANN.storageProvisioner] !== HOSTPATH_PROVISIONER) return;
    const sc = this.classes.get(undefined, claim.spec?.storageClassName ?? '');
    if (sc?.provisioner !== HOSTPATH_PROVISIONER) return;
    const pv = provisionedVolume(claim, sc, this.identity);
    if (this.volumes.get(undefined, pv.metadata.name!)) return;
    const ref = `${claim.metadata.namespace}/${claim.metadata.name}`;
    void this.ctx.events.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ref}"`, this.component);
    try {
      await this.store.make(pv.spec.hostPath.path);
      await this.ctx.client.create(R.persistentvolumes, undefined, pv);
    } catch (e) {
      if (isAlreadyExists(e)) return;
      void this.ctx.events.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${(e as Error).message}`, this.component);
      throw e;
    }
    void this.ctx.events.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata.name}`, this.component);
  }

  async syncVolume(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const pv = this.volumes.getByKey(key);
    if (!pv || pv.metadata.deletionTimestamp || !this.enabled()) return;
    if (pv.metadata.annotations?.[ANN.provisionedBy] !== HOSTPATH_PROVISIONER) return;
    if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    await this.store.remove(pv.spec.hostPath.path);
    await this.ctx.client.delete(R.persistentvolumes, undefined, pv.metadata.name!).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }
}
