// Validation of core/v1 Pod and PodSpec (also used for the templates of Deployments and
// ReplicaSets), with Kubernetes' messages. Volumes are ./volumes.ts's.
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { validateContainers } from './container.ts';
import { isObj, validateAnnotations, validateLabels, validateObjectMeta } from './meta.ts';
import { isDNS1123Label, isDNS1123Subdomain } from './names.ts';
import { validateVolumes } from './volumes.ts';

type Obj = Record<string, any>;

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
function validateTolerations(list: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!Array.isArray(list)) return out;
  list.forEach((t, i) => {
    if (!isObj(t)) return;
    const tp = `${path}[${i}]`;
    const op = t.operator ?? 'Equal';
    if (op !== 'Equal' && op !== 'Exists') out.push(cause.notSupported(`${tp}.operator`, op, ['Equal', 'Exists']));
    if (op === 'Exists' && t.value) out.push(cause.invalid(`${tp}.operator`, op, 'value must be empty when `operator` is \'Exists\''));
    if (!t.key && op !== 'Exists') out.push(cause.invalid(`${tp}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    const effects = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
    if (t.effect && !effects.includes(t.effect)) out.push(cause.notSupported(`${tp}.effect`, t.effect, effects));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      out.push(cause.invalid(`${tp}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
  });
  return out;
}

export interface PodSpecOptions {
  /** A pod template (Deployment/ReplicaSet), not a pod. */
  template: boolean;
}

export function validatePodSpec(spec: unknown, path: string, opts: PodSpecOptions): StatusCause[] {
  const s: Obj = isObj(spec) ? spec : {};
  const { causes: out, names: volumes } = validateVolumes(s.volumes, `${path}.volumes`);
  const containerNames = new Set<string>();
  const containers: unknown[] = Array.isArray(s.containers) ? s.containers : [];
  if (containers.length === 0) out.push(cause.required(`${path}.containers`));
  const check = { pod: !opts.template, volumes, names: containerNames };
  out.push(...validateContainers(s.initContainers, `${path}.initContainers`, { ...check, init: true }));
  out.push(...validateContainers(containers, `${path}.containers`, { ...check, init: false }));
  if (opts.template && Array.isArray(s.ephemeralContainers) && s.ephemeralContainers.length > 0) {
    out.push(cause.forbidden(`${path}.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  } else out.push(...validateContainers(s.ephemeralContainers, `${path}.ephemeralContainers`, { ...check, init: false }));
  if (!s.restartPolicy) out.push(cause.required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(s.restartPolicy)) out.push(cause.notSupported(`${path}.restartPolicy`, s.restartPolicy, RESTART_POLICIES));
  if (!s.dnsPolicy) out.push(cause.required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(s.dnsPolicy)) out.push(cause.notSupported(`${path}.dnsPolicy`, s.dnsPolicy, DNS_POLICIES));
  if (s.dnsPolicy === 'None' && !(isObj(s.dnsConfig) && Array.isArray(s.dnsConfig.nameservers) && s.dnsConfig.nameservers.length > 0)) {
    out.push(cause.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  out.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`));
  for (const f of ['hostname', 'subdomain']) {
    if (typeof s[f] === 'string' && s[f]) out.push(...isDNS1123Label(s[f]).map((m) => cause.invalid(`${path}.${f}`, s[f], m)));
  }
  if (typeof s.nodeName === 'string' && s.nodeName) out.push(...isDNS1123Subdomain(s.nodeName).map((m) => cause.invalid(`${path}.nodeName`, s.nodeName, m)));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = s.activeDeadlineSeconds;
    if (v < 1 || v > 2147483647) out.push(cause.invalid(`${path}.activeDeadlineSeconds`, v, 'must be between 1 and 2147483647, inclusive'));
  }
  out.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  if (Array.isArray(s.hostAliases)) {
    s.hostAliases.forEach((h: unknown, i: number) => {
      if (isObj(h) && !h.ip) out.push(cause.required(`${path}.hostAliases[${i}].ip`));
    });
  }
  return out;
}

/** Status-only fields a controller or kubelet may change on update; everything else in a pod's spec is fixed. */
const MUTABLE_SPEC = ['activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds', 'schedulingGates'];

function comparableSpec(spec: unknown): string {
  const s: Obj = isObj(spec) ? structuredClone(spec) : {};
  for (const f of MUTABLE_SPEC) delete s[f];
  for (const list of ['containers', 'initContainers']) {
    if (Array.isArray(s[list])) for (const c of s[list]) if (isObj(c)) delete c.image;
  }
  delete s.nodeName; // bound by the scheduler (mk has no binding subresource)
  delete s.ephemeralContainers; // changed through its own subresource
  return JSON.stringify(s, Object.keys(flatKeys(s)).sort());
}

function flatKeys(v: unknown, acc: Record<string, true> = {}): Record<string, true> {
  if (Array.isArray(v)) for (const x of v) flatKeys(x, acc);
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) ((acc[k] = true), flatKeys(x, acc));
  return acc;
}

const POD_UPDATE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function validatePod(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  out.push(...validatePodSpec(obj.spec, 'spec', { template: false }));
  if (old) {
    if (comparableSpec(obj.spec) !== comparableSpec(old.spec)) out.push(cause.forbidden('spec', POD_UPDATE_MESSAGE));
    const oldNode = isObj(old.spec) ? old.spec.nodeName : undefined;
    const newNode = isObj(obj.spec) ? obj.spec.nodeName : undefined;
    if (oldNode && newNode !== oldNode) out.push(cause.invalid('spec.nodeName', newNode ?? '', 'field is immutable'));
  }
  return out;
}

/** A PodTemplateSpec (Deployment/ReplicaSet spec.template). */
export function validatePodTemplate(template: unknown, path: string): StatusCause[] {
  const t: Obj = isObj(template) ? template : {};
  const meta: Obj = isObj(t.metadata) ? t.metadata : {};
  // Kubernetes names these `spec.template.labels` (ObjectMeta is inlined in its field paths).
  const out = validateLabels(meta.labels, `${path}.labels`);
  out.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  out.push(...validatePodSpec(t.spec, `${path}.spec`, { template: true }));
  return out;
}
