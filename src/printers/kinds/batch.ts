// Job and CronJob rows (printers.go printJob, printCronJob).

import { ageSince, humanDuration } from '../age.ts';
import { AGE_COL, CONTAINERS_COL, IMAGES_COL, NAME_COL, col, containerCells, type Printer } from '../columns.ts';
import { formatLabelSelector } from '../../api/labels.ts';
import { hasJobCondition } from '../../api/batch.ts';

const JOB_SELECTOR = col('Selector', 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', { priority: 1 });

/** The STATUS cell: Complete, Failed, Terminating, Suspended, FailureTarget or Running, in that order. */
export function jobStatus(job: { metadata: { deletionTimestamp?: string }; status?: unknown }): string {
  const j = job as Parameters<typeof hasJobCondition>[0];
  if (hasJobCondition(j, 'Complete')) return 'Complete';
  if (hasJobCondition(j, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasJobCondition(j, 'Suspended')) return 'Suspended';
  if (hasJobCondition(j, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** COMPLETIONS: `succeeded/completions`, or `n/1 of parallelism` for a work queue. */
export function jobCompletions(spec: { completions?: number; parallelism?: number } | undefined, succeeded: number): string {
  if (spec?.completions !== undefined && spec.completions !== null) return `${succeeded}/${spec.completions}`;
  const p = spec?.parallelism ?? 0;
  return p > 1 ? `${succeeded}/1 of ${p}` : `${succeeded}/1`;
}

/** DURATION: from startTime to completionTime, or to now while running; '' before it starts. */
export function jobDuration(status: { startTime?: string; completionTime?: string } | undefined, now: Date): string {
  const start = Date.parse(status?.startTime ?? '');
  if (Number.isNaN(start)) return '';
  const end = Date.parse(status?.completionTime ?? '');
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

export const jobPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'Status of the job.'),
    col('Completions', 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.'),
    col('Duration', 'Time required to complete the job.'),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    JOB_SELECTOR,
  ],
  cells(job, now) {
    const [containers, images] = containerCells(job.spec?.template?.spec);
    return [
      job.metadata.name, jobStatus(job), jobCompletions(job.spec, job.status?.succeeded ?? 0), jobDuration(job.status, now),
      ageSince(job.metadata.creationTimestamp, now), containers, images, formatLabelSelector(job.spec?.selector),
    ];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.'),
    col('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.', { type: 'boolean' }),
    col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    JOB_SELECTOR,
  ],
  cells(cj, now) {
    const spec = cj.spec ?? {};
    const [containers, images] = containerCells(spec.jobTemplate?.spec?.template?.spec);
    const suspend = typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>';
    const last = cj.status?.lastScheduleTime ? ageSince(cj.status.lastScheduleTime, now) : '<none>';
    return [
      cj.metadata.name, spec.schedule ?? '', spec.timeZone ?? '<none>', suspend, (cj.status?.active ?? []).length, last,
      ageSince(cj.metadata.creationTimestamp, now), containers, images, formatLabelSelector(spec.jobTemplate?.spec?.selector),
    ];
  },
};
