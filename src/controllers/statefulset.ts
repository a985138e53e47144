// The StatefulSet controller, after Kubernetes' pkg/controller/statefulset: pods `<set>-0…N-1`
// with stable identities, created in order and each only once the one before runs and is ready
// (OrderedReady), or all at once (Parallel); their claims made from the volumeClaimTemplates
// before them and kept when pods or the set go (Retain), or owned so the garbage collector takes
// them (Delete); scale-down from the highest ordinal; RollingUpdate from the highest ordinal down
// to the partition, one pod at a time, and OnDelete; ControllerRevisions for the templates; the
// status kubectl's rollout status reads. reconcile(key) reads the informer caches and is safe to
// repeat: pod names are fixed, so a stale cache costs an AlreadyExists, never a second pod.
import type { KubeObject } from '../api/types.ts';
import { R } from '../api/resources.ts';
import { selectorMatches } from '../api/labels.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import { objectKey, type Informer } from '../client/informer.ts';
import { canonicalJson } from './hash.ts';
import { REVISION_HASH_LABEL, syncRevisions, truncateHistory } from './history.ts';
import { isPodAvailable } from './pods.ts';
import { WorkQueue } from './queue.ts';
import * as u from './statefulset-util.ts';
import { claimObjects } from './claim.ts';
import { type ControllerContext, controllerRef, reconcileQueue, enqueueOwner, ownedBy, updateStatus } from './types.ts';

const COMPONENT = 'statefulset-controller';

export class StatefulSetController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly setInf: Informer;
  private readonly podInf: Informer;
  private readonly revInf: Informer;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.setInf = ctx.informers.for(R.statefulsets);
    this.podInf = ctx.informers.for(R.pods);
    this.revInf = ctx.informers.for(R.controllerrevisions);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.setInf.addHandlers({ onAdd: (s) => this.queue.add(objectKey(s)), onUpdate: (s) => this.queue.add(objectKey(s)) });
    const byOwner = enqueueOwner(this.queue, 'StatefulSet');
    const podChanged = (p: KubeObject) => (controllerRef(p) ? byOwner(p) : this.enqueueAdopters(p));
    this.podInf.addHandlers({ onAdd: podChanged, onUpdate: podChanged, onDelete: byOwner });
    this.revInf.addHandlers({ onDelete: byOwner });
  }

  /** An orphan pod queues the sets that could adopt it. */
  private enqueueAdopters(pod: KubeObject): void {
    for (const set of this.setInf.list(pod.metadata.namespace)) {
      if (u.ordinalOf(set, pod) >= 0 && selectorMatches(set.spec?.selector, pod.metadata.labels)) this.queue.add(objectKey(set));
    }
  }

  private owned(inf: Informer, set: KubeObject): KubeObject[] {
    return ownedBy(inf, set);
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync(); // never act on a half-filled cache
    const set = this.setInf.getByKey(key);
    if (!set || set.metadata.deletionTimestamp) return;
    // pods (of this set's names) and revisions its selector matches and no one controls are
    // adopted, as upstream's ClaimPods and ClaimControllerRevisions do: a set made again after
    // `delete --cascade=orphan` takes its pods back at their revision instead of replacing them
    const mine = (o: KubeObject) => selectorMatches(set.spec?.selector, o.metadata.labels);
    const pods = await claimObjects(this.ctx, this.podInf, R.pods, R.statefulsets, set, (p) => u.ordinalOf(set, p) >= 0 && mine(p));
    const revs = await syncRevisions(this.ctx, set, await claimObjects(this.ctx, this.revInf, R.controllerrevisions, R.statefulsets, set, mine), set.status?.currentRevision);
    const currentSet: KubeObject = { ...set, spec: { ...set.spec, template: templateOf(revs.current) } };
    await this.sync(set, currentSet, revs.current.metadata.name!, revs.update.metadata.name!, pods);
    const fresh = this.owned(this.podInf, set);
    await this.writeStatus(set, u.setStatus(set, fresh, revs.current.metadata.name!, revs.update.metadata.name!, revs.collisionCount, this.ctx.clock.now()));
    const live = new Set([revs.current.metadata.name!, revs.update.metadata.name!, ...fresh.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL] ?? '')]);
    await truncateHistory(this.ctx, revs.all, live, set.spec?.revisionHistoryLimit ?? 10);
  }

  /** updateStatefulSet: one pass of creations, deletions and updates; returns early where OrderedReady must wait. */
  private async sync(set: KubeObject, currentSet: KubeObject, current: string, update: string, pods: KubeObject[]): Promise<void> {
    const start = u.startOrdinal(set);
    const end = start + u.replicasOf(set);
    const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    const byOrdinal = new Map<number, KubeObject>();
    for (const p of pods) {
      const ord = u.ordinalOf(set, p);
      if (ord >= 0) byOrdinal.set(ord, p);
    }
    const minReady = set.spec?.minReadySeconds ?? 0;
    const healthy = (p: KubeObject) => u.isRunningAndReady(p) && !u.isTerminating(p) && isPodAvailable(p, minReady, this.ctx.clock.now());
    if (minReady > 0 && pods.some((p) => u.isRunningAndReady(p) && !healthy(p))) this.queue.addAfter(objectKey(set), minReady * 1000);

    for (let ord = start; ord < end; ord++) {
      const pod = byOrdinal.get(ord);
      if (pod && u.isFinished(pod) && !u.isTerminating(pod)) {
        // a failed or finished pod is replaced under the same name
        await this.deletePod(set, pod);
        if (monotonic) return;
        continue;
      }
      if (!pod) {
        const useCurrent = u.revisionForNewPod(set, ord) === 'current';
        await this.createPod(set, u.newPod(set, useCurrent ? currentSet : set, useCurrent ? current : update, ord), ord);
        if (monotonic) return;
        continue;
      }
      if (u.isTerminating(pod) || !healthy(pod)) {
        if (monotonic) return;
        continue;
      }
      if (!u.identityMatches(set, pod)) await this.fixIdentity(set, pod);
    }

    // scale down (processCondemned): the highest ordinal first; under OrderedReady a condemned pod
    // that is itself unhealthy waits unless it is the first unhealthy one (the lowest ordinal
    // among the pods kept, else among the condemned), so a pod that never gets ready holds nothing
    const inRange = (ord: number) => ord >= start && ord < end;
    const condemned = [...byOrdinal.entries()].filter(([ord]) => !inRange(ord)).sort((a, b) => b[0] - a[0]).map(([, p]) => p);
    const byLowest = [...byOrdinal.entries()].sort((a, b) => a[0] - b[0]);
    const firstUnhealthy = (byLowest.find(([ord, p]) => inRange(ord) && !healthy(p)) ?? byLowest.find(([ord, p]) => !inRange(ord) && !healthy(p)))?.[1];
    for (const pod of condemned) {
      if (u.isTerminating(pod)) {
        if (monotonic) return;
        continue;
      }
      if (monotonic && !healthy(pod) && pod !== firstUnhealthy) return;
      await this.releaseClaims(set, pod);
      await this.deletePod(set, pod);
      if (monotonic) return;
    }

    if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    // rolling update: from the highest ordinal down to the partition, one unavailable pod at a time
    const partition: number = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let ord = end - 1; ord >= start + partition; ord--) {
      const pod = byOrdinal.get(ord);
      if (!pod) return;
      if (pod.metadata.labels?.[REVISION_HASH_LABEL] !== update && !u.isTerminating(pod)) {
        await this.deletePod(set, pod);
        return;
      }
      if (!healthy(pod)) return;
    }
  }

  private async createPod(set: KubeObject, pod: KubeObject, ordinal: number): Promise<void> {
    const name = pod.metadata.name!;
    try {
      await this.createClaims(set, pod, ordinal);
      await this.ctx.client.create(R.pods, set.metadata.namespace, pod);
    } catch (e) {
      if (isAlreadyExists(e)) return;
      void this.ctx.events.event(set, 'Warning', 'FailedCreate', `create Pod ${name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`, COMPONENT);
      throw e;
    }
    void this.ctx.events.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${set.metadata.name} successful`, COMPONENT);
  }

  /** createPersistentVolumeClaims: every claim of the pod that does not exist yet. */
  private async createClaims(set: KubeObject, pod: KubeObject, ordinal: number): Promise<void> {
    const claims = u.claimsFor(set, ordinal);
    if (claims.length === 0) return;
    const pvc = R.persistentvolumeclaims;
    for (const claim of claims) {
      if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
        claim.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true }];
      }
      try {
        await this.ctx.client.create(pvc, set.metadata.namespace, claim);
      } catch (e) {
        if (isAlreadyExists(e)) continue;
        void this.ctx.events.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`, COMPONENT);
        throw e;
      }
      void this.ctx.events.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`, COMPONENT);
    }
  }

  /** whenScaled: Delete — a condemned pod's claims become the pod's (not the set's), so they go with it. */
  private async releaseClaims(set: KubeObject, pod: KubeObject): Promise<void> {
    if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
    const pvc = R.persistentvolumeclaims;
    for (const claim of u.claimsFor(set, u.ordinalOf(set, pod))) {
      const ref = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid!, blockOwnerDeletion: true };
      try {
        const cur = await this.ctx.client.get(pvc, set.metadata.namespace, claim.metadata.name!);
        if (cur.metadata.ownerReferences?.some((o) => o.uid === ref.uid)) continue;
        // the pod alone owns it now (updateClaimOwnerRefForSetAndPod): it goes when the pod does
        const refs = [...(cur.metadata.ownerReferences ?? []).filter((o) => o.uid !== set.metadata.uid), ref];
        await this.ctx.client.update(pvc, set.metadata.namespace, claim.metadata.name!, { ...cur, metadata: { ...cur.metadata, ownerReferences: refs } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  private async deletePod(set: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!);
    } catch (e) {
      if (isNotFound(e)) return;
      void this.ctx.events.event(set, 'Warning', 'FailedDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`, COMPONENT);
      throw e;
    }
    void this.ctx.events.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`, COMPONENT);
  }

  /** updateIdentity: the pod-name and pod-index labels the set gives (hostname and subdomain are set at creation). */
  private async fixIdentity(set: KubeObject, pod: KubeObject): Promise<void> {
    const ord = u.ordinalOf(set, pod);
    const next = structuredClone(pod);
    next.metadata.labels = { ...(next.metadata.labels ?? {}), [u.POD_NAME_LABEL]: pod.metadata.name!, [u.POD_INDEX_LABEL]: String(ord) };
    try {
      await this.ctx.client.update(R.pods, pod.metadata.namespace, pod.metadata.name!, next);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private async writeStatus(set: KubeObject, status: Record<string, any>): Promise<void> {
    const old = { ...(set.status ?? {}) };
    if (canonicalJson({ ...old, conditions: undefined }) === canonicalJson(status)) return;
    const next: KubeObject = { ...set, status: { ...status, ...(old.conditions ? { conditions: old.conditions } : {}) } };
    // a set deleted while this pass ran has no status to write
    await updateStatus(this.ctx, R.statefulsets, next);
  }
}

/** The pod template a revision restores (its data without the `$patch` directive). */
export function templateOf(revision: KubeObject): unknown {
  const t = { ...(revision.data?.spec?.template ?? {}) };
  delete t.$patch;
  return t;
}
