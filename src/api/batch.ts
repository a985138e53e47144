// The batch/v1 vocabulary several rooms share: the labels a Job's pods carry (the API server
// writes them into the template when it makes the selector, the Job controller reads them), the
// pod-tracking finalizer, and what a Job's conditions say about it.
import type { KubeObject } from './types.ts';

export const JOB_LABELS = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
  completionIndex: 'batch.kubernetes.io/job-completion-index',
} as const;

/** On every pod of a Job until the controller has counted it (batch.kubernetes.io/job-tracking). */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

/** The annotation a CronJob's Jobs carry: when they were scheduled (RFC 3339). */
export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** Has the Job a condition of this type with status True? */
export function hasJobCondition(job: KubeObject, type: string): boolean {
  return ((job.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === type && c.status === 'True');
}

/** Complete or Failed: the Job is done and its controller will not start pods again. */
export function isJobFinished(job: KubeObject): boolean {
  return hasJobCondition(job, 'Complete') || hasJobCondition(job, 'Failed');
}

/**
 * generateSelector (the Job strategy's PrepareForCreate): unless spec.manualSelector, the
 * template gets job-name and controller-uid labels (both spellings) and the selector matches
 * the controller-uid one. Runs on create, once the object has its name and uid.
 */
export function generateJobSelector(job: KubeObject): void {
  const spec = job.spec;
  if (!spec || typeof spec !== 'object' || spec.manualSelector === true) return;
  spec.template ??= {};
  spec.template.metadata ??= {};
  const labels = (spec.template.metadata.labels ??= {});
  for (const k of [JOB_LABELS.legacyJobName, JOB_LABELS.jobName]) labels[k] ??= job.metadata.name!;
  for (const k of [JOB_LABELS.legacyControllerUid, JOB_LABELS.controllerUid]) labels[k] ??= job.metadata.uid!;
  spec.selector ??= {};
  spec.selector.matchLabels ??= {};
  spec.selector.matchLabels[JOB_LABELS.controllerUid] ??= job.metadata.uid!;
}
