// Schemas of batch/v1 Job and CronJob.
import { labelSelector, objectMeta, topLevel } from './meta.ts';
import { podTemplateSpec } from './pod.ts';
import { objectReference } from './service.ts';
import { arr, bool, i32, i64, obj, str, strings, time } from './types.ts';

const BATCH = 'io.k8s.api.batch.v1.';

const podFailurePolicy = obj(BATCH + 'PodFailurePolicy', {
  rules: arr(
    obj(BATCH + 'PodFailurePolicyRule', {
      action: str,
      onExitCodes: obj(BATCH + 'PodFailurePolicyOnExitCodesRequirement', { containerName: str, operator: str, values: arr(i32) }, ['operator', 'values']),
      onPodConditions: arr(obj(BATCH + 'PodFailurePolicyOnPodConditionsPattern', { type: str, status: str }, ['type'])),
    }, ['action']),
  ),
}, ['rules']);

export const jobSpec = obj(BATCH + 'JobSpec', {
  parallelism: i32,
  completions: i32,
  activeDeadlineSeconds: i64,
  podFailurePolicy,
  successPolicy: obj(BATCH + 'SuccessPolicy', { rules: arr(obj(BATCH + 'SuccessPolicyRule', { succeededIndexes: str, succeededCount: i32 })) }, ['rules']),
  backoffLimit: i32,
  backoffLimitPerIndex: i32,
  maxFailedIndexes: i32,
  selector: labelSelector,
  manualSelector: bool,
  template: podTemplateSpec,
  ttlSecondsAfterFinished: i32,
  completionMode: str,
  suspend: bool,
  podReplacementPolicy: str,
  managedBy: str,
}, ['template']);

const jobCondition = obj(BATCH + 'JobCondition', {
  type: str, status: str, lastProbeTime: time, lastTransitionTime: time, reason: str, message: str,
}, ['type', 'status']);

export const job = topLevel(BATCH + 'Job', {
  spec: jobSpec,
  status: obj(BATCH + 'JobStatus', {
    conditions: arr(jobCondition),
    startTime: time,
    completionTime: time,
    active: i32,
    succeeded: i32,
    failed: i32,
    terminating: i32,
    completedIndexes: str,
    failedIndexes: str,
    uncountedTerminatedPods: obj(BATCH + 'UncountedTerminatedPods', { succeeded: strings, failed: strings }),
    ready: i32,
  }),
});

export const cronJob = topLevel(BATCH + 'CronJob', {
  spec: obj(BATCH + 'CronJobSpec', {
    schedule: str,
    timeZone: str,
    startingDeadlineSeconds: i64,
    concurrencyPolicy: str,
    suspend: bool,
    jobTemplate: obj(BATCH + 'JobTemplateSpec', { metadata: objectMeta, spec: jobSpec }),
    successfulJobsHistoryLimit: i32,
    failedJobsHistoryLimit: i32,
  }, ['schedule', 'jobTemplate']),
  status: obj(BATCH + 'CronJobStatus', { active: arr(objectReference), lastScheduleTime: time, lastSuccessfulTime: time }),
});
