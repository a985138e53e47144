// Validation of ObjectMeta (names, labels, annotations, owner references, finalizers) and of
// label selectors, shared by every kind, with Kubernetes' messages.
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { tooLong } from './go.ts';
import { IMMUTABLE_ERROR, NEGATIVE_ERROR, isDNS1123Label, isQualifiedName, isValidLabelValue } from './names.ts';

export type NameCheck = (name: string) => string[];
type Obj = Record<string, any>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function nonNegative(field: string, v: unknown): StatusCause[] {
  return typeof v === 'number' && v < 0 ? [cause.invalid(field, v, NEGATIVE_ERROR)] : [];
}

export function validateLabels(labels: unknown, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!isObj(labels)) return out;
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of isQualifiedName(k)) out.push(cause.invalid(field, k, msg));
    for (const msg of isValidLabelValue(typeof v === 'string' ? v : '')) out.push(cause.invalid(field, v, msg));
  }
  return out;
}

export function validateAnnotations(annotations: unknown, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!isObj(annotations)) return out;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) out.push(cause.invalid(field, k, msg));
    size += k.length + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  }
  if (size > 256 * 1024) out.push(tooLong(field, 256 * 1024));
  return out;
}

export function validateLabelSelector(sel: unknown, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!isObj(sel)) return out;
  if (Array.isArray(sel.matchExpressions)) {
    sel.matchExpressions.forEach((e: unknown, i: number) => {
      const p = `${field}.matchExpressions[${i}]`;
      if (!isObj(e)) return;
      const values = Array.isArray(e.values) ? e.values : [];
      switch (e.operator) {
        case 'In':
        case 'NotIn':
          if (values.length === 0) out.push(cause.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (values.length > 0) out.push(cause.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          break;
        default:
          out.push(cause.invalid(`${p}.operator`, e.operator ?? '', 'not a valid selector operator'));
      }
      for (const msg of isQualifiedName(typeof e.key === 'string' ? e.key : '')) out.push(cause.invalid(`${p}.key`, e.key ?? '', msg));
    });
  }
  out.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  return out;
}

/** `generateName` may end in '-' (a suffix follows). */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -1) + 'a' : name;
}

/** ValidateObjectMeta: the name must pass `nameCheck`; the namespace, when set, is a DNS label. */
export function validateObjectMeta(obj: KubeObject, nameCheck: NameCheck): StatusCause[] {
  const out: StatusCause[] = [];
  const meta: Obj = isObj(obj.metadata) ? obj.metadata : {};
  if (typeof meta.generateName === 'string' && meta.generateName) {
    for (const msg of nameCheck(maskTrailingDash(meta.generateName))) out.push(cause.invalid('metadata.generateName', meta.generateName, msg));
  }
  if (typeof meta.name !== 'string' || meta.name === '') {
    if (!meta.generateName) out.push(cause.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameCheck(meta.name)) out.push(cause.invalid('metadata.name', meta.name, msg));
  }
  if (typeof meta.namespace === 'string' && meta.namespace) {
    for (const msg of isDNS1123Label(meta.namespace)) out.push(cause.invalid('metadata.namespace', meta.namespace, msg));
  }
  out.push(...nonNegative('metadata.generation', meta.generation));
  out.push(...validateLabels(meta.labels, 'metadata.labels'));
  out.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  if (Array.isArray(meta.ownerReferences)) {
    meta.ownerReferences.forEach((ref: unknown, i: number) => {
      const p = `metadata.ownerReferences[${i}]`;
      if (!isObj(ref)) return;
      if (!ref.apiVersion) out.push(cause.invalid(`${p}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
      if (!ref.kind) out.push(cause.invalid(`${p}.kind`, ref.kind ?? '', 'kind must not be empty'));
      if (!ref.name) out.push(cause.invalid(`${p}.name`, ref.name ?? '', 'name must not be empty'));
      if (!ref.uid) out.push(cause.invalid(`${p}.uid`, ref.uid ?? '', 'uid must not be empty'));
    });
  }
  if (Array.isArray(meta.finalizers)) {
    for (const f of meta.finalizers) for (const msg of isQualifiedName(String(f))) out.push(cause.invalid('metadata.finalizers', f, msg));
  }
  return out;
}

/** ValidateObjectMetaUpdate: name, namespace, uid and creationTimestamp do not change. */
export function validateObjectMetaUpdate(obj: KubeObject, old: KubeObject): StatusCause[] {
  const out: StatusCause[] = [];
  const m: Obj = obj.metadata ?? {};
  const o: Obj = old.metadata ?? {};
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp']) {
    if (m[f] !== undefined && o[f] !== undefined && m[f] !== o[f]) out.push(cause.invalid(`metadata.${f}`, m[f], IMMUTABLE_ERROR));
  }
  return out;
}

