// Validation of ConfigMap, Secret, ServiceAccount, Namespace, Node and Event (core/v1), with Kubernetes'
// messages; immutable ConfigMaps and Secrets stay as they are.
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { isObj, validateObjectMeta } from './meta.ts';
import { IMMUTABLE_ERROR, isConfigMapKey, isDNS1123Label, isDNS1123Subdomain } from './names.ts';

type Obj = Record<string, any>;

function validateKeys(map: unknown, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!isObj(map)) return out;
  for (const k of Object.keys(map)) out.push(...isConfigMapKey(k).map((m) => cause.invalid(`${field}[${k}]`, k, m)));
  return out;
}

const IMMUTABLE_SET = 'field is immutable when `immutable` is set';

function immutableChecks(obj: KubeObject, old: KubeObject | undefined, fields: string[]): StatusCause[] {
  if (!old || old.immutable !== true) return [];
  const out: StatusCause[] = [];
  if (obj.immutable !== true) out.push(cause.forbidden('immutable', IMMUTABLE_SET));
  for (const f of fields) if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {})) out.push(cause.forbidden(f, IMMUTABLE_SET));
  return out;
}

export function validateConfigMap(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  out.push(...validateKeys(obj.data, 'data'));
  out.push(...validateKeys(obj.binaryData, 'binaryData'));
  if (isObj(obj.data) && isObj(obj.binaryData)) {
    for (const k of Object.keys(obj.binaryData)) if (Object.hasOwn(obj.data, k)) out.push(cause.invalid(`binaryData[${k}]`, k, 'duplicate of key present in data'));
  }
  out.push(...immutableChecks(obj, old, ['data', 'binaryData']));
  return out;
}

const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export function validateSecret(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  out.push(...validateKeys(obj.data, 'data'));
  const data: Obj = isObj(obj.data) ? obj.data : {};
  for (const k of REQUIRED_KEYS[obj.type] ?? []) if (!Object.hasOwn(data, k)) out.push(cause.required(`data[${k}]`));
  if (obj.type === 'kubernetes.io/basic-auth' && !Object.hasOwn(data, 'username') && !Object.hasOwn(data, 'password')) {
    out.push(cause.required('data[username]'), cause.required('data[password]'));
  }
  if (old && old.type !== obj.type) out.push(cause.invalid('type', obj.type ?? '', IMMUTABLE_ERROR));
  out.push(...immutableChecks(obj, old, ['data']));
  return out;
}

/** ValidateServiceAccount: the name is a DNS-1123 subdomain (no other field is checked). */
export function validateServiceAccount(obj: KubeObject): StatusCause[] {
  return validateObjectMeta(obj, isDNS1123Subdomain);
}

export function validateNamespace(obj: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Label);
  const finalizers = isObj(obj.spec) && Array.isArray(obj.spec.finalizers) ? obj.spec.finalizers : [];
  finalizers.forEach((f: unknown) => {
    const s = String(f);
    if (!s.includes('/') && s !== 'kubernetes') {
      out.push(cause.invalid('spec.finalizers', s, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return out;
}

export function validateNode(obj: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const taints = isObj(obj.spec) && Array.isArray(obj.spec.taints) ? obj.spec.taints : [];
  const effects = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
  taints.forEach((t: unknown, i: number) => {
    if (!isObj(t)) return;
    if (!t.effect) out.push(cause.required(`spec.taints[${i}].effect`));
    else if (!effects.includes(t.effect)) out.push(cause.notSupported(`spec.taints[${i}].effect`, t.effect, effects));
  });
  return out;
}

export function validateEvent(obj: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const involved: Obj = isObj(obj.involvedObject) ? obj.involvedObject : {};
  const ns = obj.metadata?.namespace;
  if (ns && involved.namespace && involved.namespace !== ns && ns !== 'default') {
    out.push(cause.invalid('involvedObject.namespace', involved.namespace, 'does not match event.namespace'));
  }
  if (obj.type && obj.type !== 'Normal' && obj.type !== 'Warning') out.push(cause.notSupported('type', obj.type, ['Normal', 'Warning']));
  return out;
}
