// The Deployment controller: owns ReplicaSets named `<deployment>-<pod-template-hash>` and moves
// pods from old to new ones, after Kubernetes' pkg/controller/deployment: rolling updates within
// maxSurge/maxUnavailable (rolling.go), Recreate (recreate.go), scaling, the revision
// annotations, revisionHistoryLimit clean-up and the status with Available/Progressing
// conditions (deployment-util.ts). Events on the Deployment: ScalingReplicaSet. reconcile(key)
// reads the informer caches; every write is conditioned on the cached resourceVersion, so a
// stale cache costs a conflict and a retry, never a wrong decision. Not done: proportional
// scaling of several active ReplicaSets mid-rollout, paused rollouts' progress deadline.
import type { KubeObject } from '../api/types.ts';
import { objectKey, type Informer } from '../client/informer.ts';
import { rfc3339 } from './clock.ts';
import { canonicalJson, computeHash } from './hash.ts';
import * as u from './deployment-util.ts';
import { isPodActive } from './pods.ts';
import { WorkQueue } from './queue.ts';
import { controllerRef, type ControllerContext, reconcileQueue, enqueueOwner, ownedBy, updateStatus } from './types.ts';
import { R } from '../api/resources.ts';
import { isNotFound, isAlreadyExists } from '../api/status.ts';

const COMPONENT = 'deployment-controller';
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration', u.REVISION, 'deployment.kubernetes.io/revision-history', u.DESIRED_REPLICAS, u.MAX_REPLICAS, 'deprecated.deployment.rollback.to']);

export class DeploymentController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly dInf: Informer;
  private readonly rsInf: Informer;
  private readonly podInf: Informer;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.dInf = ctx.informers.for(R.deployments);
    this.rsInf = ctx.informers.for(R.replicasets);
    this.podInf = ctx.informers.for(R.pods);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.dInf.addHandlers({ onAdd: (d) => this.queue.add(objectKey(d)), onUpdate: (d) => this.queue.add(objectKey(d)) });
    const byOwner = enqueueOwner(this.queue, 'Deployment');
    this.rsInf.addHandlers({ onAdd: byOwner, onUpdate: byOwner, onDelete: byOwner });
    // Recreate waits for the old pods to be gone.
    this.podInf.addHandlers({
      onDelete: (pod) => {
        const ref = controllerRef(pod);
        const rs = ref?.kind === 'ReplicaSet' ? this.rsInf.get(pod.metadata.namespace, ref.name) : undefined;
        if (rs) byOwner(rs);
      },
    });
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync(); // never act on a half-filled cache
    const d = this.dInf.getByKey(key);
    if (!d) return;
    const rsList = ownedBy(this.rsInf, d).map((rs) => structuredClone(rs));
    const work: KubeObject = structuredClone(d);
    work.status ??= {};
    if (d.metadata.deletionTimestamp || d.spec?.paused) {
      const newRS = rsList.find((rs) => u.sameTemplate(rs.spec?.template, d.spec?.template));
      return this.syncStatus(work, newRS, rsList);
    }
    if (u.isRollingUpdate(d)) await this.rolloutRolling(work, rsList);
    else await this.rolloutRecreate(work, rsList);
  }

  private async rolloutRolling(d: KubeObject, rsList: KubeObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.newAndOld(d, rsList, true);
    const all = newRS ? [...oldRSs, newRS] : oldRSs;
    if (newRS && (await this.reconcileNewRS(d, all, newRS))) return this.syncStatus(d, newRS, all);
    if (await this.reconcileOldRSs(d, all, oldRSs.filter((rs) => u.replicasOf(rs) > 0), newRS)) return this.syncStatus(d, newRS, all);
    const status = u.deploymentStatus(d, newRS, all, this.time());
    if (u.isComplete(d, status)) await this.cleanup(d, oldRSs);
    return this.syncStatus(d, newRS, all);
  }

  private async rolloutRecreate(d: KubeObject, rsList: KubeObject[]): Promise<void> {
    let { newRS, oldRSs } = await this.newAndOld(d, rsList, false);
    let all = newRS ? [...oldRSs, newRS] : oldRSs;
    let scaled = false;
    for (const rs of oldRSs) if (u.replicasOf(rs) > 0) scaled = (await this.scaleRS(rs, 0, d)) || scaled;
    if (scaled) return this.syncStatus(d, newRS, all);
    const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    const oldRunning = this.podInf.list(d.metadata.namespace).some((p) => oldUids.has(controllerRef(p)?.uid) && isPodActive(p));
    if (oldRunning) return this.syncStatus(d, newRS, all);
    if (!newRS) {
      ({ newRS, oldRSs } = await this.newAndOld(d, rsList, true));
      all = newRS ? [...oldRSs, newRS] : oldRSs;
    }
    if (newRS && u.replicasOf(newRS) !== u.replicasOf(d)) {
      await this.scaleRS(newRS, u.replicasOf(d), d);
      return this.syncStatus(d, newRS, all);
    }
    if (u.isComplete(d, u.deploymentStatus(d, newRS, all, this.time()))) await this.cleanup(d, oldRSs);
    return this.syncStatus(d, newRS, all);
  }

  /** reconcileNewReplicaSet: true when it scaled. */
  private async reconcileNewRS(d: KubeObject, all: KubeObject[], newRS: KubeObject): Promise<boolean> {
    const want = u.replicasOf(d);
    const cur = u.replicasOf(newRS);
    if (cur === want) return false;
    if (cur > want) return this.scaleRS(newRS, want, d);
    return this.scaleRS(newRS, u.newRSNewReplicas(d, all, newRS), d);
  }

  /** reconcileOldReplicaSets: unhealthy old replicas first, then as far as availability allows. */
  private async reconcileOldRSs(d: KubeObject, all: KubeObject[], oldActive: KubeObject[], newRS: KubeObject | undefined): Promise<boolean> {
    if (u.specReplicas(oldActive) === 0) return false;
    const minAvailable = u.replicasOf(d) - u.maxUnavailable(d);
    const newUnavailable = newRS ? u.replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0) : 0;
    const maxScaledDown = u.specReplicas(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let scaled = 0;
    // cleanupUnhealthyReplicas
    const olds = [...oldActive].sort(u.byCreation);
    for (const rs of olds) {
      if (scaled >= maxScaledDown) break;
      const unhealthy = u.replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
      if (u.replicasOf(rs) === 0 || unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - scaled, unhealthy);
      await this.scaleRS(rs, u.replicasOf(rs) - n, d);
      rs.spec.replicas = u.replicasOf(rs) - n;
      scaled += n;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    const available = u.availableReplicas(newRS ? [...olds, newRS] : olds);
    if (available > minAvailable) {
      const total = available - minAvailable;
      let done = 0;
      for (const rs of olds) {
        if (done >= total) break;
        if (u.replicasOf(rs) === 0) continue;
        const n = Math.min(u.replicasOf(rs), total - done);
        await this.scaleRS(rs, u.replicasOf(rs) - n, d);
        done += n;
      }
      scaled += done;
    }
    return scaled > 0;
  }

  /** Scales rs (conditioned on its resourceVersion) and records the event; true when the size changed. */
  private async scaleRS(rs: KubeObject, n: number, d: KubeObject): Promise<boolean> {
    const old = u.replicasOf(rs);
    const desired = String(u.replicasOf(d));
    const max = String(u.replicasOf(d) + u.maxSurge(d));
    const ann = rs.metadata.annotations ?? {};
    if (old === n && ann[u.DESIRED_REPLICAS] === desired && ann[u.MAX_REPLICAS] === max) return false;
    const next: KubeObject = { ...rs, metadata: { ...rs.metadata, annotations: { ...ann, [u.DESIRED_REPLICAS]: desired, [u.MAX_REPLICAS]: max } }, spec: { ...rs.spec, replicas: n } };
    await this.ctx.client.update(R.replicasets, rs.metadata.namespace, rs.metadata.name!, next);
    if (old === n) return false;
    const op = n > old ? 'up' : 'down';
    void this.ctx.events.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} to ${n} from ${old}`, COMPONENT);
    return true;
  }

  /** getAllReplicaSetsAndSyncRevision: the ReplicaSet of the current template (made when asked) and the others. */
  private async newAndOld(d: KubeObject, rsList: KubeObject[], create: boolean): Promise<{ newRS?: KubeObject; oldRSs: KubeObject[] }> {
    const matching = rsList.filter((rs) => u.sameTemplate(rs.spec?.template, d.spec?.template)).sort(u.byCreation);
    let newRS = matching[0];
    const oldRSs = rsList.filter((rs) => rs !== newRS);
    const revision = String(u.maxRevision(oldRSs) + 1);
    if (newRS) {
      if (u.revisionOf(newRS) < Number(revision) || (newRS.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0)) {
        const next = structuredClone(newRS);
        next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [u.REVISION]: String(Math.max(u.revisionOf(newRS), Number(revision))) };
        if (d.spec?.minReadySeconds !== undefined) next.spec.minReadySeconds = d.spec.minReadySeconds;
        newRS = await this.ctx.client.update(R.replicasets, next.metadata.namespace, next.metadata.name!, next);
      }
      if (!d.status.conditions?.some((c: u.Condition) => c.type === 'Progressing')) {
        d.status.conditions = u.setCondition(d.status.conditions ?? [], u.condition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${newRS.metadata.name}"`, this.time()));
      }
    } else if (create) {
      newRS = await this.createRS(d, oldRSs, revision);
    }
    if (newRS) await this.syncDeploymentRevision(d, String(u.revisionOf(newRS)));
    return { newRS, oldRSs };
  }

  private async createRS(d: KubeObject, oldRSs: KubeObject[], revision: string): Promise<KubeObject> {
    const hash = computeHash(d.spec.template, d.status?.collisionCount);
    const template = structuredClone(d.spec.template);
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [u.HASH_LABEL]: hash };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [u.HASH_LABEL]: hash };
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries((d.metadata.annotations ?? {}) as Record<string, string>)) if (!SKIP_ANNOTATIONS.has(k)) annotations[k] = v;
    annotations[u.DESIRED_REPLICAS] = String(u.replicasOf(d));
    annotations[u.MAX_REPLICAS] = String(u.replicasOf(d) + u.maxSurge(d));
    annotations[u.REVISION] = revision;
    const name = `${d.metadata.name}-${hash}`;
    const draft: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        annotations,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    draft.spec.replicas = u.newRSNewReplicas(d, [...oldRSs, draft], draft);
    let created: KubeObject;
    try {
      created = await this.ctx.client.create(R.replicasets, d.metadata.namespace, draft);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await this.ctx.client.get(R.replicasets, d.metadata.namespace, name);
      if (controllerRef(existing)?.uid === d.metadata.uid && u.sameTemplate(existing.spec?.template, d.spec.template)) return existing;
      // A hash collision with someone else's ReplicaSet: bump collisionCount and try again later.
      const next: KubeObject = { ...d, status: { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 } };
      await this.ctx.client.update(R.deployments, d.metadata.namespace, d.metadata.name!, next, { subresource: 'status' });
      throw e;
    }
    const n = u.replicasOf(created);
    if (n > 0) void this.ctx.events.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} to ${n}`, COMPONENT);
    d.status.conditions = u.setCondition(d.status.conditions ?? [], u.condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`, this.time()));
    return created;
  }

  private async syncDeploymentRevision(d: KubeObject, revision: string): Promise<void> {
    if (d.metadata.annotations?.[u.REVISION] === revision) return;
    const next = structuredClone(d);
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [u.REVISION]: revision };
    const saved = await this.ctx.client.update(R.deployments, d.metadata.namespace, d.metadata.name!, next);
    d.metadata = saved.metadata;
  }

  /** cleanupDeployment: keep revisionHistoryLimit (default 10) old ReplicaSets that are scaled to zero. */
  private async cleanup(d: KubeObject, oldRSs: KubeObject[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const idle = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp && u.replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0).sort(u.byCreation);
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      try {
        await this.ctx.client.delete(R.replicasets, rs.metadata.namespace, rs.metadata.name!, { propagationPolicy: 'Background' });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  private async syncStatus(d: KubeObject, newRS: KubeObject | undefined, all: KubeObject[]): Promise<void> {
    const status = u.deploymentStatus(d, newRS, all, this.time());
    const stored = this.dInf.getByKey(objectKey(d))?.status ?? {};
    if (canonicalJson(status) === canonicalJson(stored)) return;
    await updateStatus(this.ctx, R.deployments, { ...d, status });
  }

  private time(): string {
    return rfc3339(this.ctx.clock.now());
  }
}
