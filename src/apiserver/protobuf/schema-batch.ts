// Field numbers of batch/v1 Job and CronJob, authorization.k8s.io/v1 SelfSubjectAccessReview and
// SelfSubjectRulesReview, and authentication.k8s.io/v1 SelfSubjectReview, from k8s.io/api's
// generated.proto as kubectl 1.33 carries them: the bodies of `kubectl create job|cronjob`,
// `create job --from=cronjob/x`, `auth can-i [--list]` and `auth whoami` in kubectl 1.32+.
// `keepZero` fields are Go pointers, whose 0/false is a value, not an absent field.
import type { MessageDef } from './schema.ts';

const f = (name: string, type: string, opts: { inline?: boolean; keepZero?: boolean } = {}) => ({ name, type, ...opts });
const rep = (name: string, type: string) => ({ name, type, repeated: true });

export const BATCH_AND_REVIEW_MESSAGES: Record<string, MessageDef> = {
  Job: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'JobSpec'), 3: f('status', 'JobStatus') },
  CronJob: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'CronJobSpec'), 3: f('status', 'CronJobStatus') },
  JobSpec: { 1: f('parallelism', 'int', { keepZero: true }), 2: f('completions', 'int', { keepZero: true }), 3: f('activeDeadlineSeconds', 'int', { keepZero: true }), 4: f('selector', 'LabelSelector'), 5: f('manualSelector', 'bool', { keepZero: true }), 6: f('template', 'PodTemplateSpec'), 7: f('backoffLimit', 'int', { keepZero: true }), 8: f('ttlSecondsAfterFinished', 'int', { keepZero: true }), 9: f('completionMode', 'string'), 10: f('suspend', 'bool', { keepZero: true }), 11: f('podFailurePolicy', 'PodFailurePolicy'), 12: f('backoffLimitPerIndex', 'int', { keepZero: true }), 13: f('maxFailedIndexes', 'int', { keepZero: true }), 14: f('podReplacementPolicy', 'string'), 15: f('managedBy', 'string'), 16: f('successPolicy', 'SuccessPolicy') },
  JobStatus: { 1: rep('conditions', 'JobCondition'), 2: f('startTime', 'time'), 3: f('completionTime', 'time'), 4: f('active', 'int'), 5: f('succeeded', 'int'), 6: f('failed', 'int'), 7: f('completedIndexes', 'string'), 8: f('uncountedTerminatedPods', 'UncountedTerminatedPods'), 9: f('ready', 'int', { keepZero: true }), 10: f('failedIndexes', 'string'), 11: f('terminating', 'int', { keepZero: true }) },
  CronJobSpec: { 1: f('schedule', 'string'), 2: f('startingDeadlineSeconds', 'int', { keepZero: true }), 3: f('concurrencyPolicy', 'string'), 4: f('suspend', 'bool', { keepZero: true }), 5: f('jobTemplate', 'JobTemplateSpec'), 6: f('successfulJobsHistoryLimit', 'int', { keepZero: true }), 7: f('failedJobsHistoryLimit', 'int', { keepZero: true }), 8: f('timeZone', 'string') },
  CronJobStatus: { 1: rep('active', 'ObjectReference'), 4: f('lastScheduleTime', 'time'), 5: f('lastSuccessfulTime', 'time') },
  PodFailurePolicy: { 1: rep('rules', 'PodFailurePolicyRule') },
  SuccessPolicy: { 1: rep('rules', 'SuccessPolicyRule') },
  JobCondition: { 1: f('type', 'string'), 2: f('status', 'string'), 3: f('lastProbeTime', 'time'), 4: f('lastTransitionTime', 'time'), 5: f('reason', 'string'), 6: f('message', 'string') },
  UncountedTerminatedPods: { 1: rep('succeeded', 'string'), 2: rep('failed', 'string') },
  JobTemplateSpec: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'JobSpec') },
  PodFailurePolicyRule: { 1: f('action', 'string'), 2: f('onExitCodes', 'PodFailurePolicyOnExitCodesRequirement'), 3: rep('onPodConditions', 'PodFailurePolicyOnPodConditionsPattern') },
  SuccessPolicyRule: { 1: f('succeededIndexes', 'string'), 2: f('succeededCount', 'int') },
  PodFailurePolicyOnExitCodesRequirement: { 1: f('containerName', 'string'), 2: f('operator', 'string'), 3: rep('values', 'int') },
  PodFailurePolicyOnPodConditionsPattern: { 1: f('type', 'string'), 2: f('status', 'string') },
  SelfSubjectAccessReview: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'SelfSubjectAccessReviewSpec'), 3: f('status', 'SubjectAccessReviewStatus') },
  SelfSubjectRulesReview: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'SelfSubjectRulesReviewSpec'), 3: f('status', 'SubjectRulesReviewStatus') },
  SelfSubjectAccessReviewSpec: { 1: f('resourceAttributes', 'ResourceAttributes'), 2: f('nonResourceAttributes', 'NonResourceAttributes') },
  SubjectAccessReviewStatus: { 1: f('allowed', 'bool'), 2: f('reason', 'string'), 3: f('evaluationError', 'string'), 4: f('denied', 'bool') },
  SelfSubjectRulesReviewSpec: { 1: f('namespace', 'string') },
  SubjectRulesReviewStatus: { 1: rep('resourceRules', 'ResourceRule'), 2: rep('nonResourceRules', 'NonResourceRule'), 3: f('incomplete', 'bool'), 4: f('evaluationError', 'string') },
  ResourceAttributes: { 1: f('namespace', 'string'), 2: f('verb', 'string'), 3: f('group', 'string'), 4: f('version', 'string'), 5: f('resource', 'string'), 6: f('subresource', 'string'), 7: f('name', 'string'), 8: f('fieldSelector', 'FieldSelectorAttributes'), 9: f('labelSelector', 'LabelSelectorAttributes') },
  NonResourceAttributes: { 1: f('path', 'string'), 2: f('verb', 'string') },
  ResourceRule: { 1: rep('verbs', 'string'), 2: rep('apiGroups', 'string'), 3: rep('resources', 'string'), 4: rep('resourceNames', 'string') },
  NonResourceRule: { 1: rep('verbs', 'string'), 2: rep('nonResourceURLs', 'string') },
  FieldSelectorAttributes: { 1: f('rawSelector', 'string'), 2: rep('requirements', 'FieldSelectorRequirement') },
  LabelSelectorAttributes: { 1: f('rawSelector', 'string'), 2: rep('requirements', 'LabelSelectorRequirement') },
  FieldSelectorRequirement: { 1: f('key', 'string'), 2: f('operator', 'string'), 3: rep('values', 'string') },
  SelfSubjectReview: { 1: f('metadata', 'ObjectMeta'), 2: f('status', 'SelfSubjectReviewStatus') },
  SelfSubjectReviewStatus: { 1: f('userInfo', 'UserInfo') },
  UserInfo: { 1: f('username', 'string'), 2: f('uid', 'string'), 3: rep('groups', 'string'), 4: f('extra', 'map:ExtraValue') },
  ExtraValue: { 1: rep('items', 'string') },
};
