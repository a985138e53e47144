// The CronJob controller, after Kubernetes' pkg/controller/cronjob (v2): at each time the schedule
// names (cron syntax or @hourly-style, in spec.timeZone, UTC by default) it makes a Job
// `<cronjob>-<minutes since the epoch>` from the jobTemplate — the most recent missed time only,
// never one past startingDeadlineSeconds — honouring concurrencyPolicy (Allow, Forbid: skip
// while one runs, Replace: delete the running ones) and suspend; it keeps status.active,
// lastScheduleTime and lastSuccessfulTime, and deletes finished Jobs beyond the history limits.
// The next run is a timer on the injected clock. Events with upstream's reasons and words.
import type { KubeObject } from '../api/types.ts';
import { R } from '../api/resources.ts';
import { CRONJOB_SCHEDULED_TIMESTAMP, hasJobCondition, isJobFinished } from '../api/batch.ts';
import { parseSchedule, type Schedule } from '../api/cron.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import { objectKey, type Informer } from '../client/informer.ts';
import { rfc3339 } from './clock.ts';
import { canonicalJson } from './hash.ts';
import { WorkQueue } from './queue.ts';
import { controllerRef, type ControllerContext, reconcileQueue, enqueueOwner, ownedBy, updateStatus } from './types.ts';

const COMPONENT = 'cronjob-controller';
const MAX_MISSED = 100;

/**
 * mostRecentScheduleTime: the latest time in (earliest, now] and about how many there were
 * (upstream's estimate from the first two). However many were missed, the latest is the one
 * that runs: it is found by looking back from now over a window that doubles until it holds one.
 */
export function mostRecentTime(schedule: Schedule, earliestMs: number, nowMs: number): { time?: number; missed: number } {
  const t1 = schedule.next(earliestMs);
  if (t1 === undefined || t1 > nowMs) return { missed: 0 };
  const t2 = schedule.next(t1);
  if (t2 === undefined || t2 > nowMs) return { time: t1, missed: 1 };
  const interval = Math.max(1, Math.round((t2 - t1) / 1000));
  const missed = Math.floor(Math.floor((nowMs - t1) / 1000) / interval) + 1;
  for (let window = t2 - t1; ; window *= 2) {
    let time: number | undefined;
    for (let t = schedule.next(Math.max(earliestMs, nowMs - window)); t !== undefined && t <= nowMs; t = schedule.next(t)) time = t;
    if (time !== undefined) return { time, missed };
  }
}

const startOf = (job: KubeObject) => Date.parse(job.status?.startTime ?? job.metadata.creationTimestamp ?? '') || 0;

export class CronJobController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly cjInf: Informer;
  private readonly jobInf: Informer;
  private readonly warned = new Set<string>(); // uids of jobs already reported as UnexpectedJob

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.cjInf = ctx.informers.for(R.cronjobs);
    this.jobInf = ctx.informers.for(R.jobs);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.cjInf.addHandlers({ onAdd: (c) => this.queue.add(objectKey(c)), onUpdate: (c) => this.queue.add(objectKey(c)) });
    const byOwner = enqueueOwner(this.queue, 'CronJob');
    this.jobInf.addHandlers({ onAdd: byOwner, onUpdate: byOwner, onDelete: byOwner });
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync(); // never act on a half-filled cache
    const cached = this.cjInf.getByKey(key);
    if (!cached) return;
    let cj = structuredClone(cached);
    const jobs = ownedBy(this.jobInf, cj);
    // a running Job the cached status does not list may be one just made: the live CronJob says
    const listed = (c: KubeObject, j: KubeObject) => ((c.status?.active ?? []) as { uid: string }[]).some((r) => r.uid === j.metadata.uid);
    if (jobs.some((j) => !isJobFinished(j) && !listed(cj, j))) {
      const live = await this.ctx.client.get(R.cronjobs, cj.metadata.namespace, cj.metadata.name!).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      if (!live) return;
      cj = live;
    }
    const status: Record<string, any> = structuredClone(cj.status ?? {});
    const seen = this.syncActive(status, jobs);
    const written = await this.writeStatus(cj, status);
    if (!written) return;
    // told once the status saying so is written (a stale cache repeats a pass, not its events)
    if (written !== cj) for (const m of seen) void this.ctx.events.event(cj, 'Normal', m[0], m[1], COMPONENT);
    cj = written;
    await this.warnUnexpected(cj, jobs);
    if (cj.metadata.deletionTimestamp) return;
    await this.cleanup(cj, jobs.filter(isJobFinished));
    if (cj.spec?.suspend) return;
    let schedule: Schedule;
    try {
      schedule = parseSchedule(cj.spec?.schedule ?? '', cj.spec?.timeZone ?? undefined);
    } catch (e) {
      void this.ctx.events.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec?.schedule}" : ${(e as Error).message}`, COMPONENT);
      return;
    }
    const now = this.ctx.clock.now();
    const requeue = () => {
      const next = schedule.next(now);
      if (next !== undefined) this.queue.addAfter(key, next - now + 100);
    };
    const last = Date.parse(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '');
    const deadline: number | undefined = cj.spec?.startingDeadlineSeconds ?? undefined;
    const earliest = deadline !== undefined && deadline !== null ? Math.max(last, now - deadline * 1000) : last;
    const { time, missed } = mostRecentTime(schedule, earliest, now);
    if (missed > MAX_MISSED) {
      void this.ctx.events.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', COMPONENT);
    }
    if (time === undefined) return requeue();
    if (deadline !== undefined && deadline !== null && time + deadline * 1000 < now) {
      void this.ctx.events.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(time)}`, COMPONENT);
      return requeue();
    }
    const running = (status.active ?? []) as { name: string }[];
    if (cj.spec?.concurrencyPolicy === 'Forbid' && running.length > 0) {
      void this.ctx.events.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid', COMPONENT);
      return requeue();
    }
    if (cj.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of running) await this.deleteJob(cj, ref.name);
      status.active = [];
    }
    const job = await this.createJob(cj, time);
    if (job) {
      status.active = [...(status.active ?? []).filter((r: { uid: string }) => r.uid !== job.metadata.uid), jobRef(job)];
      status.lastScheduleTime = rfc3339(time);
      await this.writeStatus(cj, status);
    }
    requeue();
  }

  /** Active jobs: finished ones leave (lastSuccessfulTime follows the completed), missing ones go.
   * A running job this controller did not make (`kubectl create job --from=cronjob/x`) does not
   * join: upstream's controller warns about it instead (see warnUnexpected). */
  private syncActive(status: Record<string, any>, jobs: KubeObject[]): [reason: string, message: string][] {
    const events: [string, string][] = [];
    const byUid = new Map(jobs.map((j) => [j.metadata.uid, j]));
    const active: { uid: string; name: string }[] = [];
    for (const ref of (status.active ?? []) as { uid: string; name: string }[]) {
      const job = byUid.get(ref.uid);
      if (!job) {
        events.push(['MissingJob', `Active job went missing: ${ref.name}`]);
        continue;
      }
      if (isJobFinished(job)) {
        events.push(['SawCompletedJob', `Saw completed job: ${job.metadata.name}, status: ${hasJobCondition(job, 'Complete') ? 'Complete' : 'Failed'}`]);
        continue;
      }
      active.push(ref);
    }
    for (const job of jobs) {
      if (!hasJobCondition(job, 'Complete') || !job.status?.completionTime) continue;
      if (!status.lastSuccessfulTime || Date.parse(job.status.completionTime) > Date.parse(status.lastSuccessfulTime)) status.lastSuccessfulTime = job.status.completionTime;
    }
    if (active.length) status.active = active;
    else delete status.active;
    return events;
  }

  /** syncCronJob's UnexpectedJob: a running job it owns but has not in its active list, checked
   * against a fresh read (the cache may predate the status naming it); said once per job. */
  private async warnUnexpected(cj: KubeObject, jobs: KubeObject[]): Promise<void> {
    const listed = (c: KubeObject, uid: string) => ((c.status?.active ?? []) as { uid: string }[]).some((r) => r.uid === uid);
    const unexpected = jobs.filter((j) => !isJobFinished(j) && !listed(cj, j.metadata.uid!) && !this.warned.has(j.metadata.uid!));
    if (unexpected.length === 0) return;
    const fresh = await this.ctx.client.get(R.cronjobs, cj.metadata.namespace, cj.metadata.name!).catch(() => undefined);
    if (!fresh) return;
    for (const j of unexpected) {
      if (listed(fresh, j.metadata.uid!)) continue;
      this.warned.add(j.metadata.uid!);
      void this.ctx.events.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`, COMPONENT);
    }
  }

  /** cleanupFinishedJobs: the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit go. */
  private async cleanup(cj: KubeObject, finished: KubeObject[]): Promise<void> {
    const trim = async (jobs: KubeObject[], limit: number | undefined) => {
      if (limit === undefined || limit === null) return;
      const sorted = [...jobs].sort((a, b) => startOf(a) - startOf(b));
      for (const j of sorted.slice(0, Math.max(0, sorted.length - limit))) await this.deleteJob(cj, j.metadata.name!);
    };
    await trim(finished.filter((j) => hasJobCondition(j, 'Complete')), cj.spec?.successfulJobsHistoryLimit);
    await trim(finished.filter((j) => hasJobCondition(j, 'Failed')), cj.spec?.failedJobsHistoryLimit);
  }

  private async createJob(cj: KubeObject, time: number): Promise<KubeObject | undefined> {
    const t = cj.spec?.jobTemplate ?? {};
    const name = `${cj.metadata.name}-${Math.floor(time / 60_000)}`;
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        labels: { ...(t.metadata?.labels ?? {}) },
        annotations: { ...(t.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP]: scheduledTimestamp(time, cj.spec?.timeZone) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(t.spec ?? {}),
    };
    try {
      const created = await this.ctx.client.create(R.jobs, cj.metadata.namespace, job);
      void this.ctx.events.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`, COMPONENT);
      return created;
    } catch (e) {
      if (!isAlreadyExists(e)) {
        void this.ctx.events.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`, COMPONENT);
        throw e;
      }
      const existing = await this.ctx.client.get(R.jobs, cj.metadata.namespace, name);
      return controllerRef(existing)?.uid === cj.metadata.uid ? existing : undefined;
    }
  }

  private async deleteJob(cj: KubeObject, name: string): Promise<void> {
    try {
      await this.ctx.client.delete(R.jobs, cj.metadata.namespace, name, { propagationPolicy: 'Background' });
      void this.ctx.events.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`, COMPONENT);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** The CronJob as written, or undefined when it was deleted meanwhile. */
  private async writeStatus(cj: KubeObject, status: Record<string, any>): Promise<KubeObject | undefined> {
    if (canonicalJson(status) === canonicalJson(cj.status ?? {})) return cj;
    return updateStatus(this.ctx, R.cronjobs, { ...cj, status });
  }
}

/** Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123z(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString().replace(/GMT$/, '+0000');
}

function jobRef(job: KubeObject): Record<string, string> {
  return { kind: 'Job', namespace: job.metadata.namespace!, name: job.metadata.name!, uid: job.metadata.uid!, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion! };
}

/** The scheduled time as RFC 3339 in the CronJob's time zone (`2024-05-01T12:00:00+02:00`; Z for UTC). */
export function scheduledTimestamp(ms: number, timeZone: string | undefined): string {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return rfc3339(ms);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const g = (t: string) => parts.find((p) => p.type === t)!.value;
  const wall = Date.UTC(Number(g('year')), Number(g('month')) - 1, Number(g('day')), Number(g('hour')), Number(g('minute')), Number(g('second')));
  const off = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${g('year')}-${g('month')}-${g('day')}T${g('hour')}:${g('minute')}:${g('second')}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
