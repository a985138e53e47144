// describe for Job and CronJob (kubectl describe.go JobDescriber, CronJobDescriber): the job's
// settings, times and pod counts, the cron job's schedule, limits, job template and active jobs.

import type { KubeObject } from '../../api/types.ts';
import { formatLabelSelector } from '../../api/labels.ts';
import { humanDuration } from '../age.ts';
import { DescribeWriter, controllerOf, rfc1123z, writeAnnotations, writeEvents, writeLabels } from './writer.ts';
import { writePodTemplate } from './containers.ts';
import type { DescribeContext } from './index.ts';

const set = (v: unknown): boolean => v !== undefined && v !== null;

/** capIndexesListOrNone: `<none>`, or the list cut after the first comma past 50 characters. */
function capIndexes(indexes: string | undefined, soft = 50): string {
  if (!indexes) return '<none>';
  const i = indexes.indexOf(',', soft);
  return i < 0 ? indexes : indexes.slice(0, i + 1) + '...';
}

export function describeJob(job: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = job.spec ?? {};
  const st = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector) === '<none>' ? '' : formatLabelSelector(spec.selector)}\n`);
  writeLabels(w, 'Labels', job.metadata.labels);
  writeAnnotations(w, 'Annotations', job.metadata.annotations);
  const owner = controllerOf(job);
  if (owner) w.write(0, `Controlled By:\t${owner}\n`);
  if (set(spec.parallelism)) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${set(spec.completions) ? spec.completions : '<unset>'}\n`);
  if (set(spec.completionMode)) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (set(spec.suspend)) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (set(spec.backoffLimit)) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (set(spec.ttlSecondsAfterFinished)) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) w.write(0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
  if (set(spec.activeDeadlineSeconds)) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const counts = `${st.active ?? 0} Active${set(st.ready) ? ` (${st.ready} Ready)` : ''} / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed`;
  w.write(0, `Pods Statuses:\t${counts}\n`);
  if (spec.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${capIndexes(st.completedIndexes)}\n`);
  writePodTemplate(w, spec.template);
  writeEvents(w, ctx.events, now);
  return w.toString();
}

export function describeCronJob(cj: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = cj.spec ?? {};
  const jt = spec.jobTemplate?.spec ?? {};
  w.write(0, `Name:\t${cj.metadata.name}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace}\n`);
  writeLabels(w, 'Labels', cj.metadata.labels);
  writeAnnotations(w, 'Annotations', cj.metadata.annotations);
  w.write(0, `Schedule:\t${spec.schedule ?? ''}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
  w.write(0, `Suspend:\t${typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>'}\n`);
  w.write(0, `Successful Job History Limit:\t${set(spec.successfulJobsHistoryLimit) ? spec.successfulJobsHistoryLimit : '<unset>'}\n`);
  w.write(0, `Failed Job History Limit:\t${set(spec.failedJobsHistoryLimit) ? spec.failedJobsHistoryLimit : '<unset>'}\n`);
  w.write(0, `Starting Deadline Seconds:\t${set(spec.startingDeadlineSeconds) ? `${spec.startingDeadlineSeconds}s` : '<unset>'}\n`);
  w.write(0, `Selector:\t${jt.selector ? formatLabelSelector(jt.selector) : '<unset>'}\n`);
  w.write(0, `Parallelism:\t${set(jt.parallelism) ? jt.parallelism : '<unset>'}\n`);
  w.write(0, `Completions:\t${set(jt.completions) ? jt.completions : '<unset>'}\n`);
  if (set(jt.activeDeadlineSeconds)) w.write(0, `Active Deadline Seconds:\t${jt.activeDeadlineSeconds}s\n`);
  writePodTemplate(w, jt.template);
  w.write(0, `Last Schedule Time:\t${cj.status?.lastScheduleTime ? rfc1123z(cj.status.lastScheduleTime) : '<unset>'}\n`);
  const active: { name: string }[] = cj.status?.active ?? [];
  w.write(0, `Active Jobs:\t${active.length ? active.map((j) => j.name).join(', ') : '<none>'}\n`);
  writeEvents(w, ctx.events, now);
  return w.toString();
}
