// Values printed the way Go's %#v prints them inside Kubernetes field errors
// (`map[string]string{"app":"web"}`, `v1.LabelSelector{...}`), and causes carrying such
// pre-formatted values. Plain strings and numbers go through `cause.*` in src/api/status.ts.
import type { StatusCause } from '../status.ts';

type Obj = Record<string, any>;

export function goString(s: unknown): string {
  return JSON.stringify(typeof s === 'string' ? s : '');
}

export function goStringMap(m: unknown): string {
  if (m === undefined || m === null || typeof m !== 'object') return 'map[string]string(nil)';
  const entries = Object.keys(m as Obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${goString((m as Obj)[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

function goStrings(a: unknown): string {
  if (!Array.isArray(a)) return '[]string(nil)';
  return `[]string{${a.map(goString).join(', ')}}`;
}

/** metav1.LabelSelector as %#v prints it (the value in `spec.selector: Invalid value: ...`). */
export function goLabelSelector(sel: unknown): string {
  const s = (sel ?? {}) as Obj;
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((e: Obj) => `v1.LabelSelectorRequirement{Key:${goString(e?.key)}, Operator:${goString(e?.operator)}, Values:${goStrings(e?.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** The (protocol, port) key of a duplicated Service port, as core.ServicePort %#v. */
export function goServicePortKey(protocol: unknown, port: unknown): string {
  return `core.ServicePort{Name:"", Protocol:${goString(protocol)}, AppProtocol:(*string)(nil), Port:${Number(port) || 0}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

/** intstr.IntOrString as %#v prints it (`intstr.IntOrString{Type:0, IntVal:1, StrVal:""}`). */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goString(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}

export function invalidRaw(field: string, raw: string, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${raw}: ${detail}` };
}

export function duplicateRaw(field: string, raw: string): StatusCause {
  return { reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${raw}` };
}

export function notFound(field: string, value: string): StatusCause {
  return { reason: 'FieldValueNotFound', field, message: `Not found: ${JSON.stringify(value)}` };
}

export function tooLong(field: string, max: number): StatusCause {
  return { reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${max} bytes` };
}
