// Validation of apps/v1 Deployment and ReplicaSet (pkg/apis/apps/validation), with
// Kubernetes' messages; the selector is immutable on update. The selector and template checks
// are shared with StatefulSet, DaemonSet and Job (workloads.ts, batch.ts).
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { goLabelSelector, goStringMap, invalidRaw } from './go.ts';
import { isEmptySelector, matchRequirements, selectorRequirements } from '../labels.ts';
import { isObj, nonNegative, validateLabelSelector, validateObjectMeta } from './meta.ts';
import { IMMUTABLE_ERROR, isDNS1123Subdomain } from './names.ts';
import { validatePodTemplate } from './pod.ts';

type Obj = Record<string, any>;

/**
 * The selector (required, not empty, matching the template's labels), the pod template and its
 * restartPolicy (Always unless `restartPolicies` says otherwise), replicas and minReadySeconds.
 */
export function validateSelectorAndTemplate(spec: Obj, kind: string, opts: { selectorOf?: string; restartPolicies?: string[]; claimVolumes?: string[] } = {}): StatusCause[] {
  const out: StatusCause[] = [];
  out.push(...nonNegative('spec.replicas', spec.replicas));
  if (!isObj(spec.selector)) out.push(cause.required('spec.selector'));
  else {
    out.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (isEmptySelector(spec.selector)) out.push(invalidRaw('spec.selector', goLabelSelector(spec.selector), `empty selector is invalid for ${opts.selectorOf ?? 'deployment'}`));
  }
  const template: Obj = isObj(spec.template) ? spec.template : {};
  const labels = isObj(template.metadata) ? template.metadata.labels : undefined;
  // LabelSelectorAsSelector, then the template's labels must match it unless it is empty
  const reqs = isObj(spec.selector) ? selectorRequirements(spec.selector) : [];
  if (reqs === undefined) out.push(invalidRaw('spec.selector', goLabelSelector(spec.selector), 'invalid label selector'));
  else if (reqs.length > 0 && !matchRequirements(reqs, isObj(labels) ? labels : {})) {
    out.push(invalidRaw('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  // a StatefulSet's claim templates are volumes of its pods: mounts may name them
  const claimVolumes = (opts.claimVolumes ?? []).map((name) => ({ name, persistentVolumeClaim: { claimName: name } }));
  const checked = claimVolumes.length && isObj(template.spec)
    ? { ...template, spec: { ...template.spec, volumes: [...(Array.isArray(template.spec.volumes) ? template.spec.volumes : []), ...claimVolumes.filter((c) => !(template.spec.volumes ?? []).some((v: Obj) => v?.name === c.name))] } }
    : template;
  out.push(...validatePodTemplate(checked, 'spec.template'));
  const podSpec: Obj = isObj(template.spec) ? template.spec : {};
  const policies = opts.restartPolicies ?? ['Always'];
  if (podSpec.restartPolicy && !policies.includes(podSpec.restartPolicy)) {
    out.push(cause.notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy, policies));
  }
  if (kind !== 'Job' && podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    out.push(cause.forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  out.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  return out;
}

function intOrPercent(v: unknown, field: string): StatusCause[] {
  if (typeof v === 'string') {
    if (!/^[0-9]+%$/.test(v)) return [cause.invalid(field, v, "must be an integer or percentage (e.g '5%')")];
    return [];
  }
  return nonNegative(field, v);
}

function value(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  return -1;
}

function validateStrategy(strategy: unknown): StatusCause[] {
  const out: StatusCause[] = [];
  const s: Obj = isObj(strategy) ? strategy : {};
  if (s.type === 'Recreate') {
    if (s.rollingUpdate !== undefined && s.rollingUpdate !== null) {
      out.push(cause.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (s.type === 'RollingUpdate') {
    const ru: Obj = isObj(s.rollingUpdate) ? s.rollingUpdate : {};
    out.push(...intOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
    out.push(...intOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
    if (value(ru.maxUnavailable) === 0 && value(ru.maxSurge) === 0) {
      out.push(cause.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
    if (typeof ru.maxUnavailable === 'string' && value(ru.maxUnavailable) > 100) {
      out.push(cause.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'must not be greater than 100%'));
    }
  } else {
    out.push(cause.notSupported('spec.strategy.type', s.type ?? '', ['Recreate', 'RollingUpdate']));
  }
  return out;
}

export function selectorImmutable(obj: KubeObject, old: KubeObject): StatusCause[] {
  const sel = isObj(obj.spec) ? obj.spec.selector : undefined;
  const oldSel = isObj(old.spec) ? old.spec.selector : undefined;
  if (canonical(sel) === canonical(oldSel)) return [];
  return [invalidRaw('spec.selector', goLabelSelector(sel), IMMUTABLE_ERROR)];
}

function canonical(sel: unknown): string {
  const s: Obj = isObj(sel) ? sel : {};
  const labels = isObj(s.matchLabels) ? Object.keys(s.matchLabels).sort().map((k) => [k, s.matchLabels[k]]) : [];
  return JSON.stringify([labels, Array.isArray(s.matchExpressions) ? s.matchExpressions : []]);
}

export function validateDeployment(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  out.push(...validateSelectorAndTemplate(spec, 'ReplicaSet'));
  out.push(...validateStrategy(spec.strategy));
  out.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    out.push(...nonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      out.push(cause.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) out.push(...selectorImmutable(obj, old));
  return out;
}

export function validateReplicaSet(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  out.push(...validateSelectorAndTemplate(spec, 'ReplicaSet'));
  if (old) out.push(...selectorImmutable(obj, old));
  return out;
}
