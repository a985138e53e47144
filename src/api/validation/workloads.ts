// Validation of apps/v1 StatefulSet, DaemonSet and ControllerRevision and of
// autoscaling/v2 HorizontalPodAutoscaler (pkg/apis/apps/validation, pkg/apis/autoscaling/validation),
// with Kubernetes' messages. What a StatefulSet update may change is limited as upstream.
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { selectorImmutable, validateSelectorAndTemplate } from './apps.ts';
import { goIntOrString, invalidRaw } from './go.ts';
import { isObj, nonNegative, validateObjectMeta } from './meta.ts';
import { isDNS1123Label, isDNS1123Subdomain } from './names.ts';

type Obj = Record<string, any>;

const specOf = (obj: KubeObject): Obj => (isObj(obj.spec) ? obj.spec : {});

function intOrPercent(v: unknown, field: string): StatusCause[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return /^[0-9]+%$/.test(v) ? [] : [cause.invalid(field, v, "must be an integer or percentage (e.g '5%')")];
  return nonNegative(field, v);
}

function validateClaimTemplates(templates: unknown): StatusCause[] {
  const out: StatusCause[] = [];
  if (!Array.isArray(templates)) return out;
  templates.forEach((t: unknown, i: number) => {
    const p = `spec.volumeClaimTemplates[${i}]`;
    const name = isObj(t) && isObj(t.metadata) ? t.metadata.name : undefined;
    if (typeof name !== 'string' || name === '') out.push(cause.required(`${p}.metadata.name`, 'name or generateName is required'));
    else for (const msg of isDNS1123Subdomain(name)) out.push(cause.invalid(`${p}.metadata.name`, name, msg));
    const modes = isObj(t) && isObj(t.spec) && Array.isArray(t.spec.accessModes) ? t.spec.accessModes : [];
    if (modes.length === 0) out.push(cause.required(`${p}.spec.accessModes`, 'at least 1 access mode is required'));
    const storage = isObj(t) && isObj(t.spec) && isObj(t.spec.resources) && isObj(t.spec.resources.requests) ? t.spec.resources.requests.storage : undefined;
    if (storage === undefined) out.push(cause.required(`${p}.spec.resources[storage]`, ''));
  });
  return out;
}

export function validateStatefulSet(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec = specOf(obj);
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  switch (spec.podManagementPolicy) {
    case undefined: case null: case '': out.push(cause.required('spec.podManagementPolicy')); break;
    case 'OrderedReady': case 'Parallel': break;
    default: out.push(cause.invalid('spec.podManagementPolicy', spec.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const us: Obj = isObj(spec.updateStrategy) ? spec.updateStrategy : {};
  switch (us.type) {
    case undefined: case null: case '': out.push(cause.required('spec.updateStrategy')); break;
    case 'OnDelete':
      if (us.rollingUpdate != null) out.push(cause.invalid('spec.updateStrategy.rollingUpdate', us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate':
      if (isObj(us.rollingUpdate)) {
        out.push(...nonNegative('spec.updateStrategy.rollingUpdate.partition', us.rollingUpdate.partition));
        out.push(...intOrPercent(us.rollingUpdate.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
      }
      break;
    default: out.push(cause.invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention: Obj = isObj(spec.persistentVolumeClaimRetentionPolicy) ? spec.persistentVolumeClaimRetentionPolicy : {};
  for (const k of ['whenDeleted', 'whenScaled']) {
    const v = retention[k];
    if (v !== undefined && v !== 'Retain' && v !== 'Delete') out.push(cause.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v, ['Retain', 'Delete']));
  }
  const claimVolumes = (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []).map((t: Obj) => t?.metadata?.name).filter((n: unknown): n is string => typeof n === 'string' && n !== '');
  out.push(...validateSelectorAndTemplate(spec, 'StatefulSet', { selectorOf: 'statefulset', claimVolumes }));
  out.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  if (isObj(spec.ordinals)) out.push(...nonNegative('spec.ordinals.start', spec.ordinals.start));
  out.push(...validateClaimTemplates(spec.volumeClaimTemplates));
  if (typeof spec.serviceName === 'string' && spec.serviceName !== '') {
    for (const msg of isDNS1123Label(spec.serviceName)) out.push(cause.invalid('spec.serviceName', spec.serviceName, msg));
  }
  if (old) {
    out.push(...selectorImmutable(obj, old));
    // only these may change (ValidateStatefulSetUpdate)
    const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
    const rest = (s: Obj) => canonicalJson(Object.fromEntries(Object.entries(s).filter(([k]) => !mutable.includes(k) && k !== 'selector' && k !== 'volumeClaimTemplates')));
    const claims = (s: Obj) => canonicalJson((Array.isArray(s.volumeClaimTemplates) ? s.volumeClaimTemplates : []).map((c: Obj) => ({ name: c?.metadata?.name, spec: c?.spec })));
    if (rest(spec) !== rest(specOf(old)) || claims(spec) !== claims(specOf(old))) {
      out.push(cause.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
  }
  return out;
}

export function validateDaemonSet(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec = specOf(obj);
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  out.push(...validateSelectorAndTemplate(spec, 'DaemonSet', { selectorOf: 'daemonset' }));
  const us: Obj = isObj(spec.updateStrategy) ? spec.updateStrategy : {};
  if (us.type === 'RollingUpdate') {
    const ru: Obj = isObj(us.rollingUpdate) ? us.rollingUpdate : {};
    out.push(...intOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
    out.push(...intOrPercent(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge'));
    // ValidateRollingUpdateDaemonSet: at most 100%, and exactly one of the two non-zero
    const at = 'spec.updateStrategy.rollingUpdate';
    for (const k of ['maxUnavailable', 'maxSurge']) {
      if (typeof ru[k] === 'string' && /^[0-9]+%$/.test(ru[k]) && parseInt(ru[k], 10) > 100) out.push(invalidRaw(`${at}.${k}`, goIntOrString(ru[k]), 'must not be greater than 100%'));
    }
    const value = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' ? parseInt(v, 10) || 0 : 0);
    const hasUnavailable = value(ru.maxUnavailable) !== 0;
    const hasSurge = value(ru.maxSurge) !== 0;
    if (hasUnavailable && hasSurge) out.push(invalidRaw(`${at}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
    else if (!hasUnavailable && !hasSurge) out.push(cause.required(`${at}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  } else if (us.type !== 'OnDelete') {
    out.push(cause.notSupported('spec.updateStrategy.type', us.type ?? '', ['OnDelete', 'RollingUpdate']));
  }
  out.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  if (old) out.push(...selectorImmutable(obj, old));
  return out;
}

export function validateControllerRevision(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  out.push(...nonNegative('revision', obj.revision));
  if (old && canonicalJson(obj.data) !== canonicalJson(old.data)) out.push(cause.invalid('data', '', 'field is immutable'));
  return out;
}

export function validateHorizontalPodAutoscaler(obj: KubeObject): StatusCause[] {
  const spec = specOf(obj);
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const ref: Obj = isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
  if (!ref.kind) out.push(cause.required('spec.scaleTargetRef.kind'));
  if (!ref.name) out.push(cause.required('spec.scaleTargetRef.name'));
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < 1) out.push(cause.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1) out.push(cause.invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0'));
  else if (typeof spec.minReplicas === 'number' && spec.maxReplicas < spec.minReplicas) out.push(cause.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  const types = ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'];
  (Array.isArray(spec.metrics) ? spec.metrics : []).forEach((m: unknown, i: number) => {
    const t = isObj(m) ? m.type : undefined;
    if (!t) out.push(cause.required(`spec.metrics[${i}].type`, 'must specify a metric source type'));
    else if (!types.includes(t)) out.push(cause.notSupported(`spec.metrics[${i}].type`, t, types));
  });
  return out;
}
