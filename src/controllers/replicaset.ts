// The ReplicaSet controller: keeps spec.replicas active pods owned by each ReplicaSet. Pods are
// made from the template, named `<rs>-<5 safe chars>`, owned with controller: true and
// blockOwnerDeletion: true; extras are deleted in controller.ActivePods order (unscheduled,
// pending, not ready, newest first). Status: replicas, fullyLabeledReplicas, readyReplicas,
// availableReplicas, observedGeneration. Events on the ReplicaSet: SuccessfulCreate /
// SuccessfulDelete / FailedCreate, with Kubernetes' wording. reconcile(key) reads only the
// informer caches and is safe to repeat; expectations keep a stale cache from doubling pods.
import type { KubeObject } from '../api/types.ts';
import { objectKey, type Informer } from '../client/informer.ts';
import { Expectations } from './expectations.ts';
import { randomSuffix } from './hash.ts';
import { deletionOrder, isPodActive, isPodAvailable, isPodReady } from './pods.ts';
import { WorkQueue } from './queue.ts';
import { controllerRef, type ControllerContext, reconcileQueue, ownedBy, updateStatus } from './types.ts';
import { R } from '../api/resources.ts';
import { isNotFound, isAlreadyExists } from '../api/status.ts';

const COMPONENT = 'replicaset-controller';
const BURST = 500; // pods created or deleted per reconcile (Kubernetes' burstReplicas)

export class ReplicaSetController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly rsInf: Informer;
  private readonly podInf: Informer;
  private readonly expectations: Expectations;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.rsInf = ctx.informers.for(R.replicasets);
    this.podInf = ctx.informers.for(R.pods);
    this.expectations = new Expectations(ctx.clock);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.rsInf.addHandlers({
      onAdd: (rs) => this.queue.add(objectKey(rs)),
      onUpdate: (rs) => this.queue.add(objectKey(rs)),
      onDelete: (rs) => this.expectations.delete(objectKey(rs)),
    });
    this.podInf.addHandlers({
      onAdd: (pod) => {
        const key = this.ownerKey(pod);
        if (!key) return;
        this.expectations.creationObserved(key, pod.metadata.name!);
        this.queue.add(key);
      },
      onUpdate: (pod, old) => {
        const key = this.ownerKey(pod);
        if (key && pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.expectations.deletionObserved(key, pod.metadata.name!);
        if (key) this.queue.add(key);
        const oldKey = this.ownerKey(old);
        if (oldKey && oldKey !== key) this.queue.add(oldKey);
      },
      onDelete: (pod) => {
        const key = this.ownerKey(pod);
        if (!key) return;
        this.expectations.deletionObserved(key, pod.metadata.name!);
        this.queue.add(key);
      },
    });
  }

  private ownerKey(pod: KubeObject): string | undefined {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    return `${pod.metadata.namespace}/${ref.name}`;
  }

  /** Pods owned by rs (by uid), active or not. */
  ownedPods(rs: KubeObject): KubeObject[] {
    return ownedBy(this.podInf, rs);
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync(); // never act on a half-filled cache
    const rs = this.rsInf.getByKey(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const pods = this.ownedPods(rs);
    const active = pods.filter(isPodActive);
    if (this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp) {
      const want = rs.spec?.replicas ?? 1;
      const diff = active.length - want;
      if (diff < 0) await this.createPods(key, rs, Math.min(-diff, BURST));
      else if (diff > 0) await this.deletePods(key, rs, [...active].sort(deletionOrder).slice(0, Math.min(diff, BURST)));
    }
    await this.updateStatus(rs, active);
  }

  private async createPods(key: string, rs: KubeObject, n: number): Promise<void> {
    const pods: KubeObject[] = [];
    for (let i = 0; i < n; i++) pods.push(podFromTemplate(rs, `${rs.metadata.name}-${randomSuffix(this.ctx.random)}`));
    this.expectations.expectCreations(key, pods.map((p) => p.metadata.name!));
    let failure: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await this.ctx.client.create(R.pods, pod.metadata.namespace, pod);
          void this.ctx.events.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
        } catch (e) {
          this.expectations.creationObserved(key, pod.metadata.name!);
          if (isAlreadyExists(e)) return; // a name clash: the next pass picks another suffix
          failure ??= e;
          void this.ctx.events.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, COMPONENT);
        }
      }),
    );
    if (failure) throw failure;
  }

  private async deletePods(key: string, rs: KubeObject, victims: KubeObject[]): Promise<void> {
    this.expectations.expectDeletions(key, victims.map((p) => p.metadata.name!));
    let failure: unknown;
    await Promise.all(
      victims.map(async (pod) => {
        try {
          await this.ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!);
          void this.ctx.events.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
        } catch (e) {
          this.expectations.deletionObserved(key, pod.metadata.name!);
          if (isNotFound(e)) return;
          failure ??= e;
          void this.ctx.events.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`, COMPONENT);
        }
      }),
    );
    if (failure) throw failure;
  }

  private async updateStatus(rs: KubeObject, active: KubeObject[]): Promise<void> {
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const now = this.ctx.clock.now();
    const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
    const status = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => templateLabels.every(([k, v]) => p.metadata.labels?.[k] === v)).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    // Ready but not yet available: look again when minReadySeconds has passed.
    if (minReady > 0 && status.readyReplicas > status.availableReplicas) this.queue.addAfter(objectKey(rs), minReady * 1000);
    const old = rs.status ?? {};
    const same = (Object.keys(status) as (keyof typeof status)[]).every((k) => (old[k] ?? 0) === status[k]);
    if (same) return;
    const next: KubeObject = { ...rs, status: { ...old, ...status } };
    for (const k of ['readyReplicas', 'availableReplicas', 'fullyLabeledReplicas'] as const) if (status[k] === 0) delete next.status[k];
    await updateStatus(this.ctx, R.replicasets, next);
  }
}

/** A pod for rs's template (controller.GetPodFromTemplate). */
export function podFromTemplate(rs: KubeObject, name: string): KubeObject {
  const t = rs.spec?.template ?? {};
  const meta: KubeObject['metadata'] = {
    name,
    generateName: `${rs.metadata.name}-`,
    namespace: rs.metadata.namespace,
    labels: { ...(t.metadata?.labels ?? {}) },
    ownerReferences: [{ apiVersion: rs.apiVersion, kind: rs.kind, name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
  };
  if (t.metadata?.annotations) meta.annotations = { ...t.metadata.annotations };
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: structuredClone(t.spec ?? {}) };
}

