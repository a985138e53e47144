// Validation of batch/v1 Job and CronJob (pkg/apis/batch/validation), with Kubernetes'
// messages: restartPolicy OnFailure or Never, counts not negative, an Indexed job's completions,
// a Job's selector and template immutable, a CronJob's schedule and time zone as the controller
// reads them and its name short enough for the Jobs it names.
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { isKnownTimeZone, isTimeZoneNamePart, scheduleError } from '../cron.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { selectorImmutable, validateSelectorAndTemplate } from './apps.ts';
import { invalidRaw } from './go.ts';
import { isObj, nonNegative, validateObjectMeta } from './meta.ts';
import { IMMUTABLE_ERROR, isDNS1123Subdomain } from './names.ts';
import { validatePodTemplate } from './pod.ts';

type Obj = Record<string, any>;

const RESTART_POLICIES = ['OnFailure', 'Never'];

function prefixed(causes: StatusCause[], prefix: string): StatusCause[] {
  return causes.map((c) => (c.field ? { ...c, field: `${prefix}${c.field}` } : c));
}

/** What a Job's spec and a CronJob's jobTemplate.spec share (fields relative to the spec's parent). */
function validateJobSpecFields(spec: Obj): StatusCause[] {
  const out: StatusCause[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    out.push(...nonNegative(`spec.${f}`, spec[f]));
  }
  if (spec.completionMode !== undefined && spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
    out.push(cause.notSupported('spec.completionMode', spec.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (spec.completionMode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    out.push(cause.required('spec.completions', 'when completion mode is Indexed'));
  }
  out.push(...validatePodFailurePolicy(spec));
  // per-index back-off is not run by mk's Job controller: refused rather than silently ignored
  for (const f of ['backoffLimitPerIndex', 'maxFailedIndexes']) {
    if (spec[f] !== undefined && spec[f] !== null) out.push(cause.forbidden(`spec.${f}`, `mk does not run per-index back-off limits; use spec.backoffLimit`));
  }
  if (spec.podReplacementPolicy !== undefined && spec.podReplacementPolicy !== 'TerminatingOrFailed' && spec.podReplacementPolicy !== 'Failed') {
    out.push(cause.notSupported('spec.podReplacementPolicy', spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
  }
  return out;
}

const POLICY_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];

/** spec.podFailurePolicy as kube-apiserver checks it (restartPolicy Never, known actions and
 * operators, exit codes or conditions but not both); FailIndex needs per-index limits, which mk
 * refuses above. */
function validatePodFailurePolicy(spec: Obj): StatusCause[] {
  const policy = spec.podFailurePolicy;
  if (!isObj(policy)) return [];
  const out: StatusCause[] = [];
  const restart = spec.template?.spec?.restartPolicy;
  if (restart !== 'Never') out.push(cause.invalid('spec.template.spec.restartPolicy', restart, 'only "Never" is supported when podFailurePolicy is specified'));
  const rules: unknown[] = Array.isArray(policy.rules) ? policy.rules : [];
  rules.forEach((r, i) => {
    const at = `spec.podFailurePolicy.rules[${i}]`;
    if (!isObj(r)) return;
    if (!POLICY_ACTIONS.includes(r.action)) out.push(cause.notSupported(`${at}.action`, r.action, POLICY_ACTIONS));
    else if (r.action === 'FailIndex') out.push(cause.forbidden(`${at}.action`, 'mk does not run per-index back-off limits, which FailIndex needs'));
    if (isObj(r.onExitCodes) && r.onPodConditions?.length) out.push(cause.invalid(at, '', 'specifying both OnExitCodes and OnPodConditions is not supported'));
    else if (!isObj(r.onExitCodes) && !r.onPodConditions?.length) out.push(cause.invalid(at, '', 'specifying one of OnExitCodes and OnPodConditions is required'));
    if (isObj(r.onExitCodes)) {
      const e = r.onExitCodes;
      if (e.operator !== 'In' && e.operator !== 'NotIn') out.push(cause.notSupported(`${at}.onExitCodes.operator`, e.operator, ['In', 'NotIn']));
      if (!Array.isArray(e.values) || e.values.length === 0) out.push(cause.required(`${at}.onExitCodes.values`, 'at least one value is required'));
    }
  });
  return out;
}

export function validateJob(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  out.push(...validateJobSpecFields(spec));
  out.push(...validateSelectorAndTemplate(spec, 'Job', { selectorOf: 'job', restartPolicies: RESTART_POLICIES }).filter((c) => c.field !== 'spec.replicas'));
  if (old) {
    const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
    out.push(...selectorImmutable(obj, old));
    // validatePodTemplateUpdate: of a job suspended that never started, the scheduling directives may change
    const mutable = oldSpec.suspend === true && !(isObj(old.status) && old.status.startTime);
    if (canonicalJson(spec.template) !== canonicalJson(mutable ? withSchedulingOf(oldSpec.template, spec.template) : oldSpec.template)) {
      out.push(invalidRaw('spec.template', templateSummary(spec.template), IMMUTABLE_ERROR));
    }
    for (const f of ['completionMode', 'completions']) {
      if (spec[f] !== oldSpec[f] && !(f === 'completions' && spec.completionMode === 'Indexed' && spec.completions === spec.parallelism)) {
        out.push(cause.invalid(`spec.${f}`, spec[f], IMMUTABLE_ERROR));
      }
    }
  }
  return out;
}

/** The old template with the new one's labels, annotations, nodeSelector, tolerations, scheduling gates and node affinity. */
function withSchedulingOf(oldT: unknown, newT: unknown): Obj {
  const o: Obj = structuredClone(isObj(oldT) ? oldT : {});
  const n: Obj = isObj(newT) ? newT : {};
  const nm: Obj = isObj(n.metadata) ? n.metadata : {};
  const ns: Obj = isObj(n.spec) ? n.spec : {};
  o.metadata = isObj(o.metadata) ? o.metadata : {};
  o.spec = isObj(o.spec) ? o.spec : {};
  for (const k of ['labels', 'annotations']) {
    if (nm[k] === undefined) delete o.metadata[k];
    else o.metadata[k] = nm[k];
  }
  for (const k of ['nodeSelector', 'tolerations', 'schedulingGates']) {
    if (ns[k] === undefined) delete o.spec[k];
    else o.spec[k] = ns[k];
  }
  const na: Obj | undefined = isObj(ns.affinity) ? ns.affinity : undefined;
  const oa: Obj | undefined = isObj(o.spec.affinity) ? o.spec.affinity : undefined;
  if (!na && oa) {
    // the affinity may be cleared if it held node affinity alone
    delete oa.nodeAffinity;
    if (Object.keys(oa).length === 0) delete o.spec.affinity;
  } else if (na) {
    const merged: Obj = { ...(oa ?? {}) };
    if (na.nodeAffinity === undefined) delete merged.nodeAffinity;
    else merged.nodeAffinity = na.nodeAffinity;
    o.spec.affinity = merged;
  }
  if (Object.keys(o.metadata).length === 0 && !(isObj(oldT) && isObj(oldT.metadata))) delete o.metadata;
  return o;
}

/** core.PodTemplateSpec as %#v starts (kube-apiserver prints the whole struct; its head is what users read). */
function templateSummary(t: unknown): string {
  const name = isObj(t) && isObj(t.metadata) && typeof t.metadata.name === 'string' ? t.metadata.name : '';
  return `core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:${JSON.stringify(name)}, ...}, Spec:core.PodSpec{...}}`;
}

/** validateTimeZone: not empty, IANA name characters, not Local, then a zone time.LoadLocation finds. */
function validateTimeZone(tz: string): StatusCause[] {
  const f = 'spec.timeZone';
  if (tz === '') return [cause.invalid(f, tz, 'timeZone must be nil or non-empty string')];
  if (!tz.split('/').every(isTimeZoneNamePart)) return [cause.invalid(f, tz, `unknown time zone ${tz}`)];
  const out: StatusCause[] = [];
  if (tz.toLowerCase() === 'local') out.push(cause.invalid(f, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (tz !== 'Local' && !isKnownTimeZone(tz)) out.push(cause.invalid(f, tz, `unknown time zone ${tz}`));
  return out;
}

export function validateCronJob(obj: KubeObject): StatusCause[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const name = obj.metadata?.name;
  if (typeof name === 'string' && name.length > 52) out.push(cause.invalid('metadata.name', name, 'must be no more than 52 characters'));
  if (typeof spec.schedule !== 'string' || spec.schedule === '') out.push(cause.required('spec.schedule'));
  else {
    const err = scheduleError(spec.schedule);
    if (err) out.push(cause.invalid('spec.schedule', spec.schedule, err));
    if (spec.schedule.includes('TZ')) out.push(cause.invalid('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  if (spec.timeZone !== undefined && spec.timeZone !== null) out.push(...validateTimeZone(String(spec.timeZone)));
  if (!['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy)) {
    out.push(spec.concurrencyPolicy ? cause.notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']) : cause.required('spec.concurrencyPolicy'));
  }
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) out.push(...nonNegative(`spec.${f}`, spec[f]));
  const jt: Obj = isObj(spec.jobTemplate) ? spec.jobTemplate : {};
  const js: Obj = isObj(jt.spec) ? jt.spec : {};
  out.push(...prefixed(validateJobSpecFields(js), 'spec.jobTemplate.'));
  out.push(...prefixed(validatePodTemplate(js.template, 'spec.template'), 'spec.jobTemplate.'));
  const policy = isObj(js.template) && isObj(js.template.spec) ? js.template.spec.restartPolicy : undefined;
  if (!RESTART_POLICIES.includes(policy)) out.push(cause.notSupported('spec.jobTemplate.spec.template.spec.restartPolicy', policy ?? '', RESTART_POLICIES));
  return out;
}
