// The DaemonSet controller, after Kubernetes' pkg/controller/daemon: one pod on every node that
// should run the daemon (daemonset-util.ts) — made when a node appears or starts to fit, removed
// when it stops fitting, extra and failed ones removed, and those of a node that is gone removed
// at once (as the pod garbage collector does for orphans) — the pods pinned to their node by
// affinity for the scheduler to bind; RollingUpdate within maxUnavailable and maxSurge, or
// OnDelete; ControllerRevisions; the status kubectl's rollout status reads. reconcile(key) reads
// the informer caches and is safe to repeat; expectations keep a stale cache from doubling pods.
import type { KubeObject } from '../api/types.ts';
import { R } from '../api/resources.ts';
import { selectorMatches } from '../api/labels.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import { objectKey, type Informer } from '../client/informer.ts';
import { claimObjects } from './claim.ts';
import * as d from './daemonset-util.ts';
import { scaledValue } from './deployment-util.ts';
import { Expectations } from './expectations.ts';
import { canonicalJson, randomSuffix } from './hash.ts';
import { REVISION_HASH_LABEL, syncRevisions, truncateHistory } from './history.ts';
import { effectiveTaints } from './node-fit.ts';
import { isPodAvailable } from './pods.ts';
import { WorkQueue } from './queue.ts';
import { controllerRef, type ControllerContext, reconcileQueue, ownedBy, updateStatus } from './types.ts';

const COMPONENT = 'daemonset-controller';

export class DaemonSetController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly dsInf: Informer;
  private readonly podInf: Informer;
  private readonly nodeInf: Informer;
  private readonly revInf: Informer;
  private readonly expectations: Expectations;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.dsInf = ctx.informers.for(R.daemonsets);
    this.podInf = ctx.informers.for(R.pods);
    this.nodeInf = ctx.informers.for(R.nodes);
    this.revInf = ctx.informers.for(R.controllerrevisions);
    this.expectations = new Expectations(ctx.clock);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.dsInf.addHandlers({
      onAdd: (ds) => this.queue.add(objectKey(ds)),
      onUpdate: (ds) => this.queue.add(objectKey(ds)),
      onDelete: (ds) => this.expectations.delete(objectKey(ds)),
    });
    const ownerKey = (pod: KubeObject) => {
      const ref = controllerRef(pod);
      return ref?.kind === 'DaemonSet' ? `${pod.metadata.namespace}/${ref.name}` : undefined;
    };
    this.podInf.addHandlers({
      onAdd: (pod) => {
        const key = ownerKey(pod);
        if (!controllerRef(pod)) this.enqueueAdopters(pod);
        if (!key) return;
        this.expectations.creationObserved(key, pod.metadata.name!);
        this.queue.add(key);
      },
      onUpdate: (pod, old) => {
        const key = ownerKey(pod);
        if (key && pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.expectations.deletionObserved(key, pod.metadata.name!);
        if (key) this.queue.add(key);
      },
      onDelete: (pod) => {
        const key = ownerKey(pod);
        if (!key) return;
        this.expectations.deletionObserved(key, pod.metadata.name!);
        this.queue.add(key);
      },
    });
    // a node that comes, changes (labels, taints, cordon, readiness: its not-ready taints) or goes: every daemon looks again
    const all = () => {
      for (const ds of this.dsInf.list()) this.queue.add(objectKey(ds));
    };
    const fitKey = (n: KubeObject) => canonicalJson([n.metadata.labels, n.spec, effectiveTaints(n)]);
    this.nodeInf.addHandlers({ onAdd: all, onUpdate: (n, old) => fitKey(n) !== fitKey(old) && all(), onDelete: all });
  }

  /** An orphan pod queues the daemons that could adopt it. */
  private enqueueAdopters(pod: KubeObject): void {
    for (const ds of this.dsInf.list(pod.metadata.namespace)) if (selectorMatches(ds.spec?.selector, pod.metadata.labels)) this.queue.add(objectKey(ds));
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync(); // never act on a half-filled cache
    const ds = this.dsInf.getByKey(key);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const owned = (inf: Informer) => ownedBy(inf, ds);
    // orphans its selector matches are adopted (a daemon made again after `delete
    // --cascade=orphan` keeps its pods), as upstream's ClaimPods and ClaimControllerRevisions do
    const mine = (o: KubeObject) => selectorMatches(ds.spec?.selector, o.metadata.labels);
    const revs = await syncRevisions(this.ctx, ds, await claimObjects(this.ctx, this.revInf, R.controllerrevisions, R.daemonsets, ds, mine), undefined);
    const hash = revs.update.metadata.labels?.[REVISION_HASH_LABEL] ?? '';
    const nodes = this.nodeInf.list();
    const claimed = await claimObjects(this.ctx, this.podInf, R.pods, R.daemonsets, ds, mine);
    if (this.expectations.satisfied(key)) await this.manage(key, ds, nodes, claimed, hash);
    const pods = owned(this.podInf);
    const status = d.daemonStatus(ds, nodes, d.podsByNode(pods), hash, this.ctx.clock.now());
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && (status.numberReady ?? 0) > (status.numberAvailable ?? 0)) this.queue.addAfter(key, minReady * 1000);
    await this.writeStatus(ds, { ...status, ...(revs.collisionCount ? { collisionCount: revs.collisionCount } : {}) });
    const live = new Set([revs.update.metadata.name!, ...revs.all.filter((r) => pods.some((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === r.metadata.labels?.[REVISION_HASH_LABEL])).map((r) => r.metadata.name!)]);
    await truncateHistory(this.ctx, revs.all, live, ds.spec?.revisionHistoryLimit ?? 10);
  }

  /** manage + rollingUpdate: the creations and deletions that bring each node to one up-to-date pod. */
  private async manage(key: string, ds: KubeObject, nodes: KubeObject[], pods: KubeObject[], hash: string): Promise<void> {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const now = this.ctx.clock.now();
    const available = (p: KubeObject) => isPodAvailable(p, minReady, now);
    const byNode = d.podsByNode(pods);
    const nodeNames = new Set(nodes.map((n) => n.metadata.name!));
    const ru = ds.spec?.updateStrategy?.type === 'RollingUpdate' ? (ds.spec.updateStrategy.rollingUpdate ?? {}) : undefined;
    const desired = nodes.filter((n) => d.shouldRun(ds, n)).length;
    const maxSurge = ru ? scaledValue(ru.maxSurge, desired, true, '0') : 0;
    // of several pods on a node keep the oldest; while surging, the oldest updated one, and the
    // oldest old one beside it until the updated one is available
    const keeps = (list: KubeObject[], p: KubeObject): boolean => {
      const updated = list.find((x) => d.isUpdated(x, hash));
      if (maxSurge === 0 || !updated) return p === list[0];
      return p === updated || (!available(updated) && p === list.find((x) => !d.isUpdated(x, hash)));
    };
    const create: string[] = [];
    const remove: KubeObject[] = [];
    const gone: KubeObject[] = [];
    for (const [node, list] of byNode) if (!nodeNames.has(node)) gone.push(...list);
    for (const n of nodes) {
      const name = n.metadata.name!;
      const list = byNode.get(name) ?? [];
      if (!d.shouldRun(ds, n)) {
        if (!d.shouldKeep(ds, n)) remove.push(...list);
        continue;
      }
      const failed = list.filter((p) => p.status?.phase === 'Failed');
      for (const p of failed) void this.ctx.events.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${name}, will try to kill it`, COMPONENT);
      remove.push(...failed);
      const running = list.filter((p) => p.status?.phase !== 'Failed');
      if (running.length === 0) create.push(name);
      else if (running.length > 1) remove.push(...running.filter((p) => !keeps(running, p)));
    }
    if (ru) {
      const roll = this.rollingUpdate(ds, nodes, byNode, hash, desired, ru, available);
      remove.push(...roll.remove.filter((p) => !remove.includes(p)));
      create.push(...roll.create.filter((n) => !create.includes(n)));
    }
    if (create.length === 0 && remove.length === 0 && gone.length === 0) return;
    const created = create.map((n) => d.newPod(ds, n, hash, `${ds.metadata.name}-${randomSuffix(this.ctx.random)}`));
    this.expectations.expectCreations(key, created.map((p) => p.metadata.name!));
    this.expectations.expectDeletions(key, [...remove, ...gone].map((p) => p.metadata.name!));
    await Promise.all([
      ...created.map((p) => this.createPod(key, ds, p)),
      ...remove.map((p) => this.deletePod(key, ds, p, undefined)),
      ...gone.map((p) => this.deletePod(key, ds, p, 0)),
    ]);
  }

  /** rollingUpdate: old pods to delete within maxUnavailable, or (maxSurge) nodes to get a new pod beside the old one. */
  private rollingUpdate(ds: KubeObject, nodes: KubeObject[], byNode: Map<string, KubeObject[]>, hash: string, desired: number, ru: Record<string, any>, available: (p: KubeObject) => boolean): { remove: KubeObject[]; create: string[] } {
    const maxSurge = scaledValue(ru.maxSurge, desired, true, '0');
    const maxUnavailable = scaledValue(ru.maxUnavailable, desired, true, '1');
    const remove: KubeObject[] = [];
    const create: string[] = [];
    const replace: KubeObject[] = [];
    const candidates: KubeObject[] = [];
    const surgeNodes: string[] = [];
    let unavailable = 0;
    let surging = 0;
    for (const n of nodes) {
      if (!d.shouldRun(ds, n)) continue;
      const list = (byNode.get(n.metadata.name!) ?? []).filter((p) => p.status?.phase !== 'Failed');
      const newPod = list.find((p) => d.isUpdated(p, hash));
      const oldPod = list.find((p) => !d.isUpdated(p, hash));
      if (maxSurge === 0) {
        if ((!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
        else if (newPod) {
          if (!available(newPod)) unavailable++;
        } else if (!available(oldPod!)) replace.push(oldPod!);
        else candidates.push(oldPod!);
      } else if (oldPod && !newPod) {
        if (!available(oldPod)) create.push(n.metadata.name!);
        else surgeNodes.push(n.metadata.name!);
      } else if (oldPod && newPod) {
        if (!available(newPod)) surging++;
        else remove.push(oldPod);
      }
    }
    if (maxSurge === 0) return { remove: [...replace, ...candidates.slice(0, Math.max(0, maxUnavailable - unavailable))], create };
    return { remove, create: [...create, ...surgeNodes.slice(0, Math.max(0, maxSurge - surging))] };
  }

  private async createPod(key: string, ds: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.ctx.client.create(R.pods, ds.metadata.namespace, pod);
      void this.ctx.events.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
    } catch (e) {
      this.expectations.creationObserved(key, pod.metadata.name!);
      if (isAlreadyExists(e)) return;
      void this.ctx.events.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, COMPONENT);
      throw e;
    }
  }

  private async deletePod(key: string, ds: KubeObject, pod: KubeObject, gracePeriodSeconds: number | undefined): Promise<void> {
    try {
      await this.ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds });
      void this.ctx.events.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
    } catch (e) {
      this.expectations.deletionObserved(key, pod.metadata.name!);
      if (isNotFound(e)) return;
      void this.ctx.events.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`, COMPONENT);
      throw e;
    }
  }

  private async writeStatus(ds: KubeObject, status: Record<string, any>): Promise<void> {
    const old = ds.status ?? {};
    if (canonicalJson({ ...old, conditions: undefined }) === canonicalJson(status)) return;
    // a daemon deleted while this pass ran has no status to write
    await updateStatus(this.ctx, R.daemonsets, { ...ds, status: { ...status, ...(old.conditions ? { conditions: old.conditions } : {}) } });
  }
}
