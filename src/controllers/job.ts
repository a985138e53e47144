// The Job controller, after Kubernetes' pkg/controller/job: runs the template's pods up to
// parallelism until completions of them succeed (or, without completions, until one does);
// Indexed jobs run one per completion index. Pods carry the batch.kubernetes.io/job-tracking
// finalizer until they are counted (uncountedTerminatedPods, then succeeded/failed), so a pod
// removed early is still counted. A failed pod is replaced after a back-off; past backoffLimit or
// activeDeadlineSeconds the job gets FailureTarget, its pods go, then Failed; done, it gets
// SuccessCriteriaMet, then Complete with completionTime; suspend stops its pods (pods the
// controller removes itself are not failures); a podFailurePolicy rule may ignore a failure or
// fail the job at once. Events as upstream. A pod still holding the finalizer after its Job is gone is released.
import type { KubeObject } from '../api/types.ts';
import { R } from '../api/resources.ts';
import { JOB_TRACKING_FINALIZER } from '../api/batch.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import { objectKey, type Informer } from '../client/informer.ts';
import { rfc3339 } from './clock.ts';
import { Expectations } from './expectations.ts';
import { canonicalJson, randomSuffix } from './hash.ts';
import * as j from './job-util.ts';
import { isPodReady } from './pods.ts';
import { WorkQueue } from './queue.ts';
import { controllerRef, reportUnlessConflict, type ControllerContext, ownedBy, updateStatus } from './types.ts';

const COMPONENT = 'job-controller';
const BURST = 500;
const ORPHAN = 'pod:';

export class JobController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly jobInf: Informer;
  private readonly podInf: Informer;
  private readonly expectations: Expectations;
  /** when the last failure of each job was counted: the pod back-off runs from there */
  private readonly lastFailure = new Map<string, number>();
  /** pods this controller removed itself (suspended, surplus, the job done): their end is no failure */
  private readonly removed = new Set<string>();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.jobInf = ctx.informers.for(R.jobs);
    this.podInf = ctx.informers.for(R.pods);
    this.expectations = new Expectations(ctx.clock);
    this.queue = new WorkQueue((k) => (k.startsWith(ORPHAN) ? this.releaseOrphan(k.slice(ORPHAN.length)) : this.reconcile(k)), { clock: ctx.clock, onError: (_k, e) => reportUnlessConflict(ctx, e) });
    this.jobInf.addHandlers({
      onAdd: (job) => this.queue.add(objectKey(job)),
      onUpdate: (job) => this.queue.add(objectKey(job)),
      onDelete: (job) => {
        this.expectations.delete(objectKey(job));
        this.lastFailure.delete(objectKey(job));
        for (const p of this.podInf.list(job.metadata.namespace)) if (controllerRef(p)?.uid === job.metadata.uid && j.hasTrackingFinalizer(p)) this.queue.add(ORPHAN + objectKey(p));
      },
    });
    const onPod = (pod: KubeObject, how: 'add' | 'update' | 'delete', old?: KubeObject) => {
      const key = this.ownerKey(pod);
      if (!key) {
        if (how !== 'delete' && j.hasTrackingFinalizer(pod)) this.queue.add(ORPHAN + objectKey(pod));
        return;
      }
      if (how === 'add') this.expectations.creationObserved(key, pod.metadata.name!);
      if (how === 'delete' || (pod.metadata.deletionTimestamp && !old?.metadata.deletionTimestamp)) this.expectations.deletionObserved(key, pod.metadata.name!);
      this.queue.add(key);
    };
    this.podInf.addHandlers({
      onAdd: (p) => onPod(p, 'add'),
      onUpdate: (p, old) => onPod(p, 'update', old),
      onDelete: (p) => {
        this.removed.delete(p.metadata.uid!);
        onPod(p, 'delete');
      },
    });
  }

  /** The key of the Job that owns the pod, when it exists. */
  private ownerKey(pod: KubeObject): string | undefined {
    const ref = controllerRef(pod);
    if (ref?.kind !== 'Job') return undefined;
    const job = this.jobInf.get(pod.metadata.namespace, ref.name);
    return job?.metadata.uid === ref.uid ? objectKey(job) : undefined;
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync(); // never act on a half-filled cache
    const cached = this.jobInf.getByKey(key);
    if (!cached) return;
    const pods = ownedBy(this.podInf, cached);
    const job = await this.track(key, structuredClone(cached), pods);
    if (!job || job.metadata.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const time = rfc3339(now);
    const active = pods.filter(j.isActive);
    const terminating = pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const st: Record<string, any> = structuredClone(job.status ?? {});
    const done = j.hasCondition(job, 'Complete') || j.hasCondition(job, 'Failed');
    // events go out once the status saying the same is written (a stale cache repeats a pass, not them)
    const events: [type: 'Normal' | 'Warning', reason: string, message: string][] = [];
    if (!done && job.spec?.suspend) {
      await this.deletePods(key, job, active);
      st.conditions = j.withCondition(st.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', time);
      if (!j.hasCondition(job, 'Suspended')) events.push(['Normal', 'Suspended', 'Job suspended']);
      return this.writeStatus(job, st, [], terminating, pods, events);
    }
    if (!done && j.hasCondition(job, 'Suspended')) {
      st.conditions = j.withCondition(st.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', time);
      st.startTime = time;
      events.push(['Normal', 'Resumed', 'Job resumed']);
    }
    if (!done) st.startTime ??= time;
    const succeeded: number = st.succeeded ?? 0;
    const failed: number = st.failed ?? 0;
    if (!done && !j.hasCondition(job, 'FailureTarget') && !j.hasCondition(job, 'SuccessCriteriaMet')) {
      const deadline = job.spec?.activeDeadlineSeconds;
      const left = typeof deadline === 'number' ? Date.parse(st.startTime) + deadline * 1000 - now : Infinity;
      const reason = j.pastBackoffLimit(job, failed, pods) ? j.REASONS.backoff : left <= 0 ? j.REASONS.deadline : undefined;
      if (reason) {
        st.conditions = j.withCondition(st.conditions, 'FailureTarget', 'True', reason[0], reason[1], time);
        events.push(['Warning', reason[0], reason[1]]);
      } else if (this.complete(job, succeeded, active)) {
        st.conditions = j.withCondition(st.conditions, 'SuccessCriteriaMet', 'True', j.REASONS.complete[0], j.REASONS.complete[1], time);
      } else if (left !== Infinity) this.queue.addAfter(key, left);
    }
    const failing = ((st.conditions ?? []) as j.JobCondition[]).find((c) => c.type === 'FailureTarget' && c.status === 'True');
    if (done || failing || j.hasCondition({ ...job, status: st }, 'SuccessCriteriaMet')) {
      await this.deletePods(key, job, active);
      if (!done && terminating.length === 0) {
        if (failing) st.conditions = j.withCondition(st.conditions, 'Failed', 'True', failing.reason, failing.message, time);
        else {
          st.conditions = j.withCondition(st.conditions, 'Complete', 'True', j.REASONS.complete[0], j.REASONS.complete[1], time);
          st.completionTime = time;
          events.push(['Normal', 'Completed', 'Job completed']);
        }
      }
      return this.writeStatus(job, st, [], terminating, pods, events);
    }
    // podReplacementPolicy Failed: a pod still terminating holds its place (onlyReplaceFailedPods)
    const holding = job.spec?.podReplacementPolicy === 'Failed' ? terminating : [];
    const remaining = await this.scale(key, job, active, succeeded, failed, now, holding);
    return this.writeStatus(job, st, remaining, terminating, pods, events);
  }

  private complete(job: KubeObject, succeeded: number, active: KubeObject[]): boolean {
    const completions = job.spec?.completions;
    if (completions === undefined || completions === null) return succeeded > 0 && active.length === 0;
    return succeeded >= completions;
  }

  /** Starts or stops pods toward wantActive (after the back-off following a failure); returns the active pods left. */
  private async scale(key: string, job: KubeObject, active: KubeObject[], succeeded: number, failed: number, now: number, holding: KubeObject[]): Promise<KubeObject[]> {
    if (!this.expectations.satisfied(key)) return active;
    const wantAll = j.wantActive(job, succeeded);
    if (active.length > wantAll) {
      const extra = [...active].sort((a, b) => (isPodReady(a) ? 1 : 0) - (isPodReady(b) ? 1 : 0)).slice(0, active.length - wantAll);
      await this.deletePods(key, job, extra);
      return active.filter((p) => !extra.includes(p));
    }
    const want = wantAll - holding.length;
    if (active.length >= want) return active;
    const since = this.lastFailure.get(key);
    const wait = since === undefined ? 0 : since + j.backoffDelay(failed) - now;
    if (wait > 0) {
      this.queue.addAfter(key, wait);
      return active;
    }
    const pods: KubeObject[] = [];
    if (j.isIndexed(job)) {
      const busy = new Set([...j.parseIndexes(job.status?.completedIndexes), ...active.map(j.indexOf), ...holding.map(j.indexOf)]);
      for (let i = 0; i < (job.spec?.completions ?? 0) && pods.length < want - active.length; i++) {
        if (!busy.has(i)) pods.push(j.newPod(job, `${job.metadata.name}-${i}-${randomSuffix(this.ctx.random)}`, i));
      }
    } else {
      for (let i = 0; i < Math.min(want - active.length, BURST); i++) pods.push(j.newPod(job, `${job.metadata.name}-${randomSuffix(this.ctx.random)}`, undefined));
    }
    this.expectations.expectCreations(key, pods.map((p) => p.metadata.name!));
    let failure: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await this.ctx.client.create(R.pods, job.metadata.namespace, pod);
          void this.ctx.events.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
        } catch (e) {
          this.expectations.creationObserved(key, pod.metadata.name!);
          if (isAlreadyExists(e)) return;
          failure ??= e;
          void this.ctx.events.event(job, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, COMPONENT);
        }
      }),
    );
    if (failure) throw failure;
    return [...active, ...pods];
  }

  /**
   * trackJobStatusAndRemoveFinalizers: finished (or deleted) pods still holding the finalizer are
   * recorded in uncountedTerminatedPods, released, then counted in succeeded/failed.
   */
  private async track(key: string, job: KubeObject, pods: KubeObject[]): Promise<KubeObject | undefined> {
    const st: Record<string, any> = job.status ?? {};
    const uncounted = { succeeded: [...(st.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(st.uncountedTerminatedPods?.failed ?? [])] };
    const known = new Set([...uncounted.succeeded, ...uncounted.failed]);
    let added = false;
    const quiet: KubeObject[] = [];
    let failJob: string | undefined;
    for (const p of pods) {
      const how = j.outcome(p);
      if (!how || !j.hasTrackingFinalizer(p) || known.has(p.metadata.uid!)) continue;
      if (how === 'failed' && p.status?.phase !== 'Failed' && this.removed.has(p.metadata.uid!)) {
        quiet.push(p);
        continue;
      }
      // spec.podFailurePolicy: Ignore does not count the failure; FailJob fails the job at once
      const policy = how === 'failed' && p.status?.phase === 'Failed' ? j.podFailurePolicyMatch(job, p) : undefined;
      if (policy?.action === 'Ignore') {
        quiet.push(p);
        continue;
      }
      if (policy?.action === 'FailJob') failJob ??= policy.message;
      uncounted[how].push(p.metadata.uid!);
      added = true;
    }
    for (const p of quiet) {
      await this.release(p);
      this.removed.delete(p.metadata.uid!);
    }
    if (uncounted.succeeded.length + uncounted.failed.length === 0) return job;
    if (added) {
      const written = await this.putStatus(job, { ...st, uncountedTerminatedPods: uncounted });
      if (!written) return undefined;
      job = written;
    }
    const inFlight = new Set([...uncounted.succeeded, ...uncounted.failed]);
    for (const p of pods) if (inFlight.has(p.metadata.uid!) && j.hasTrackingFinalizer(p)) await this.release(p);
    const next: Record<string, any> = { ...job.status, uncountedTerminatedPods: {} };
    if (j.isIndexed(job)) {
      const done = j.parseIndexes(next.completedIndexes);
      for (const uid of uncounted.succeeded) {
        const i = j.indexOf(pods.find((p) => p.metadata.uid === uid) ?? { apiVersion: 'v1', kind: 'Pod', metadata: {} });
        if (i !== undefined && i < (job.spec?.completions ?? 0)) done.add(i);
      }
      next.completedIndexes = j.formatIndexes(done);
      next.succeeded = done.size;
    } else next.succeeded = (next.succeeded ?? 0) + uncounted.succeeded.length;
    next.failed = (next.failed ?? 0) + uncounted.failed.length;
    if (uncounted.failed.length > 0) this.lastFailure.set(key, this.ctx.clock.now());
    if (failJob && !j.hasCondition(job, 'FailureTarget')) {
      next.conditions = j.withCondition(next.conditions, 'FailureTarget', 'True', 'PodFailurePolicy', failJob, rfc3339(this.ctx.clock.now()));
      void this.ctx.events.event(job, 'Warning', 'PodFailurePolicy', failJob, COMPONENT);
    }
    return this.putStatus(job, next);
  }

  /** Removes the tracking finalizer from a pod (gone already: nothing to do). */
  private async release(pod: KubeObject): Promise<void> {
    const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
    const patch = [
      { op: 'test', path: '/metadata/resourceVersion', value: pod.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/finalizers', value: finalizers },
    ];
    try {
      await this.ctx.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name!, patch, 'json');
    } catch (e) {
      if (isNotFound(e)) return;
      // a newer pod than the cache's: take the live one
      const cur = await this.ctx.client.get(R.pods, pod.metadata.namespace, pod.metadata.name!).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
      if (!cur || !j.hasTrackingFinalizer(cur)) return;
      await this.ctx.client.patch(R.pods, cur.metadata.namespace, cur.metadata.name!, [{ op: 'replace', path: '/metadata/finalizers', value: (cur.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER) }], 'json');
    }
  }

  /** A pod holding the finalizer whose Job is gone: nothing will count it, so it is released. */
  private async releaseOrphan(podKey: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const pod = this.podInf.getByKey(podKey);
    if (!pod || !j.hasTrackingFinalizer(pod) || this.ownerKey(pod)) return;
    await this.release(pod);
  }

  private async deletePods(key: string, job: KubeObject, pods: KubeObject[]): Promise<void> {
    if (pods.length === 0) return;
    this.expectations.expectDeletions(key, pods.map((p) => p.metadata.name!));
    for (const p of pods) this.removed.add(p.metadata.uid!);
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await this.ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!);
          void this.ctx.events.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
        } catch (e) {
          this.expectations.deletionObserved(key, pod.metadata.name!);
          if (!isNotFound(e)) throw e;
        }
      }),
    );
  }

  /** Writes the status; a Job deleted since the cache saw it (a CronJob's Replace, a user) has
   * nothing to write to: undefined, not an error. */
  private async putStatus(job: KubeObject, status: Record<string, any>): Promise<KubeObject | undefined> {
    return updateStatus(this.ctx, R.jobs, { ...job, status });
  }

  /** The counts kubectl shows (active, ready, terminating) beside the rest; written when changed. */
  private async writeStatus(job: KubeObject, st: Record<string, any>, active: KubeObject[], terminating: KubeObject[], pods: KubeObject[], events: [type: 'Normal' | 'Warning', reason: string, message: string][]): Promise<void> {
    const next: Record<string, any> = { ...st, active: active.length, ready: pods.filter((p) => j.isActive(p) && isPodReady(p)).length, terminating: terminating.length };
    next.uncountedTerminatedPods ??= {};
    for (const k of ['active', 'succeeded', 'failed']) if (!next[k]) delete next[k];
    if (canonicalJson(next) === canonicalJson(job.status ?? {})) return;
    if (!(await this.putStatus(job, next))) return;
    for (const [type, reason, message] of events) void this.ctx.events.event(job, type, reason, message, COMPONENT);
  }
}
