// The write pipeline every create/update/patch goes through, in Kubernetes' order: type meta
// matches the URL → strict field decoding (fieldValidation) → server-set metadata →
// defaulting → validation (422 Invalid). Allocation and the store write follow in the handlers.
import { randomInt, randomUUID } from 'node:crypto';
import { applyDefaults } from '../api/defaults/index.ts';
import { groupVersion, type ResourceType } from '../api/resources.ts';
import { decode, normalizeObject, strictDecodingError, unknownFieldWarnings } from '../api/schema/index.ts';
import { errors } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { validate } from '../api/validation/index.ts';

/** Kinds whose metadata.generation counts spec changes (Kubernetes sets it in their strategies). */
const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'Ingress', 'IngressClass', 'EndpointSlice']);

/** Fills kind/apiVersion from the URL when absent; a mismatch is a 400 as in Kubernetes. */
export function checkTypeMeta(obj: Record<string, any>, r: ResourceType): asserts obj is KubeObject {
  const gv = groupVersion(r);
  if (obj.apiVersion !== undefined && obj.apiVersion !== gv) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
  }
  if (obj.kind !== undefined && obj.kind !== r.kind) {
    throw errors.badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${r.kind})`);
  }
  obj.apiVersion = gv;
  obj.kind = r.kind;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) {
    throw errors.badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: json: cannot unmarshal ${Array.isArray(obj.metadata) ? 'array' : typeof obj.metadata} into Go struct field ${r.kind}.metadata of type v1.ObjectMeta`);
  }
}

/**
 * fieldValidation=Strict (kubectl's default) refuses unknown fields; Warn returns them as
 * warnings; Ignore says nothing. Type errors always fail. What passes is normalized in place as
 * the Go types hold it: unknown fields dropped, null elements made zero values.
 */
export function checkFields(obj: KubeObject, r: ResourceType, q: URLSearchParams): string[] {
  const mode = q.get('fieldValidation') ?? 'Warn';
  if (mode !== 'Strict' && mode !== 'Warn' && mode !== 'Ignore') {
    throw errors.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${mode}"`);
  }
  const result = decode(obj, r);
  const err = strictDecodingError(r, result, { strict: mode === 'Strict' });
  if (err) throw err;
  normalizeObject(obj, r);
  return mode === 'Warn' ? unknownFieldWarnings(result) : [];
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(base: string): string {
  let s = base.length > 58 ? base.slice(0, 58) : base;
  for (let i = 0; i < 5; i++) s += NAME_CHARS[randomInt(NAME_CHARS.length)];
  return s;
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function qosClass(pod: KubeObject): string {
  const cs: any[] = pod.spec?.containers ?? [];
  let any = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const k of ['cpu', 'memory']) {
      if (lim[k] === undefined || (req[k] !== undefined && String(req[k]) !== String(lim[k]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Server-set fields on create: name from generateName, uid, creationTimestamp, generation, initial status. */
export function prepareCreate(obj: KubeObject, r: ResourceType, now: Date): void {
  const m = obj.metadata;
  if (!m.name && m.generateName) m.name = generateName(m.generateName);
  m.uid = randomUUID();
  m.creationTimestamp = rfc3339(now);
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete (m as Record<string, unknown>).selfLink;
  if (GENERATION_KINDS.has(r.kind)) m.generation = 1;
  else delete m.generation;
  if (r.kind === 'DaemonSet') m.annotations = { ...(m.annotations ?? {}), [DS_TEMPLATE_GENERATION]: '1' };
  if (r.subresources.includes('status') && r.kind !== 'Namespace' && r.kind !== 'Node') {
    if (r.kind === 'Pod') obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
    else if (r.kind === 'Service' || r.kind === 'Ingress') obj.status = { loadBalancer: {} };
    else obj.status = {};
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Server-kept fields on update: identity and timestamps from the stored object; through the
 * main resource the status is kept, through /status only the status changes.
 */
export function prepareUpdate(obj: KubeObject, old: KubeObject, r: ResourceType, sub: string | undefined): KubeObject {
  let next: KubeObject;
  if (sub === 'status') {
    next = { ...structuredClone(old), status: obj.status };
    if (obj.metadata.labels !== undefined) next.metadata.labels = obj.metadata.labels;
    if (obj.metadata.annotations !== undefined) next.metadata.annotations = obj.metadata.annotations;
  } else {
    next = obj;
    if (r.subresources.includes('status')) {
      if (old.status === undefined) delete next.status;
      else next.status = old.status;
    }
  }
  const m = next.metadata;
  const om = old.metadata;
  m.uid = om.uid;
  m.creationTimestamp = om.creationTimestamp;
  m.namespace = om.namespace;
  if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (om.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (om.generateName) m.generateName = om.generateName;
  if (om.generation !== undefined) m.generation = om.generation;
  else delete m.generation;
  return next;
}

/** A DaemonSet's template generation (its strategy keeps it as this annotation in apps/v1). */
export const DS_TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

/** After defaulting: a spec change through the main resource counts one generation; a DaemonSet's template change one template generation. */
export function bumpGeneration(obj: KubeObject, old: KubeObject, r: ResourceType, sub: string | undefined): void {
  if (GENERATION_KINDS.has(r.kind) && sub !== 'status' && !same(obj.spec, old.spec)) obj.metadata.generation = (old.metadata.generation ?? 1) + 1;
  if (r.kind === 'DaemonSet' && sub !== 'status') {
    const was = Number(old.metadata.annotations?.[DS_TEMPLATE_GENERATION] ?? 1) || 1;
    const gen = same(obj.spec?.template, old.spec?.template) ? was : was + 1;
    obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [DS_TEMPLATE_GENERATION]: String(gen) };
  }
}

/** Defaulting then validation: 422 Invalid with every cause. */
export function defaultAndValidate(obj: KubeObject, r: ResourceType, old?: KubeObject): void {
  applyDefaults(obj);
  const causes = validate(obj, old);
  if (causes.length > 0) throw errors.invalid(r, obj.metadata.name ?? '', causes);
}
