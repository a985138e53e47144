// Label and field selectors as the Kubernetes API server parses and applies them on list,
// watch and deletecollection (`app=kubia,tier!=db,env in (a,b),!canary`,
// `metadata.name=x,status.phase!=Running`). Field labels are per kind, like Kubernetes'.
import type { ResourceType } from '../api/resources.ts';
import { errors } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { isQualifiedName, isValidLabelValue } from '../api/validation/names.ts';
import { goQuote } from '../printers/jsonpath/gofmt.ts';

type LabelOp = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';
export interface LabelRequirement { key: string; op: LabelOp; values: string[] }
export interface FieldRequirement { field: string; op: '=' | '!='; value: string }

export interface Selector {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** The name asked for by `metadata.name=x`, so a watch can narrow what it looks at. */
  name?: string;
}

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * labels.NewRequirement's checks: the key is a qualified name (`[prefix/]name`, prefix a DNS
 * subdomain ≤ 253, name ≤ 63 characters), every value a label value, in/notin with values,
 * Gt/Lt values integers.
 */
function checkRequirement(req: LabelRequirement): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(req.key);
  if (keyErrs.length > 0) errs.push(`key: Invalid value: ${goQuote(req.key)}: ${keyErrs.join('; ')}`);
  if ((req.op === 'in' || req.op === 'notin') && req.values.length === 0) {
    errs.push(`values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`);
  }
  if ((req.op === '>' || req.op === '<') && !/^[+-]?\d+$/.test(req.values[0] ?? '')) {
    errs.push(`values[0]: Invalid value: ${goQuote(req.values[0] ?? '')}: for 'Gt', 'Lt' operators, the value must be an integer`);
  }
  req.values.forEach((v, i) => {
    const valErrs = isValidLabelValue(v);
    if (valErrs.length > 0) errs.push(`values[${i}][${req.key}]: Invalid value: ${goQuote(v)}: ${valErrs.join('; ')}`);
  });
  if (errs.length > 0) throw errors.badRequest(errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
  return req;
}

export function parseLabelSelector(text: string | null | undefined): LabelRequirement[] {
  if (!text) return [];
  return splitTop(text).map((part) => checkRequirement(parseRequirement(part)));
}

function parseRequirement(part: string): LabelRequirement {
  let m = /^!\s*([^\s=!<>(),]+)$/.exec(part);
  if (m) return { key: m[1]!, op: '!', values: [] };
  m = /^([^\s=!<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (m) return { key: m[1]!, op: m[2] as LabelOp, values: m[3]!.trim() === '' ? [] : m[3]!.split(',').map((v) => v.trim()) };
  m = /^([^\s=!<>(),]+)\s*(==|=|!=|>|<)\s*([^\s=!<>(),]*)$/.exec(part);
  if (m) return { key: m[1]!, op: (m[2] === '==' ? '=' : m[2]) as LabelOp, values: [m[3]!] };
  m = /^([^\s=!<>(),]+)$/.exec(part);
  if (m) return { key: m[1]!, op: 'exists', values: [] };
  throw errors.badRequest(`unable to parse requirement: found '${part}', expected: ',', '!=', '==', '=', 'in', 'notin'`);
}

export function matchLabels(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=': if (!has || v !== r.values[0]) return false; break;
      case '!=': if (has && v === r.values[0]) return false; break;
      case 'in': if (!has || !r.values.includes(v)) return false; break;
      case 'notin': if (has && r.values.includes(v)) return false; break;
      case 'exists': if (!has) return false; break;
      case '!': if (has) return false; break;
      case '>': if (!has || !(Number(v) > Number(r.values[0]))) return false; break;
      case '<': if (!has || !(Number(v) < Number(r.values[0]))) return false; break;
    }
  }
  return true;
}

type FieldGetter = (o: KubeObject) => unknown;
const get = (path: string): FieldGetter => (o) => path.split('.').reduce<any>((v, k) => (v == null ? undefined : v[k]), o);

const COMMON = ['metadata.name', 'metadata.namespace'];
/** The field labels each kind supports beyond metadata.name/namespace (Kubernetes' field label conversion funcs). */
const FIELDS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
};

function fieldValue(o: KubeObject, field: string): string {
  if (field === 'source') return String(o.source?.component ?? o.reportingComponent ?? '');
  const v = get(field)(o);
  if (field === 'spec.hostNetwork' || field === 'spec.unschedulable') return String(v === true);
  if (field === 'metadata.namespace' && v === undefined) return '';
  return v === undefined || v === null ? '' : String(v);
}

export function parseFieldSelector(text: string | null | undefined, r: ResourceType): FieldRequirement[] {
  if (!text) return [];
  const allowed = new Set([...COMMON, ...(FIELDS[r.kind] ?? [])]);
  return splitTop(text).map((part) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw errors.badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1].trim();
    // kubectl itself prefixes `Unable to find "/v1, Resource=services" that match label selector ...`.
    if (!allowed.has(field)) throw errors.badRequest(`field label not supported: ${field}`);
    return { field, op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() };
  });
}

export function matchFields(reqs: FieldRequirement[], o: KubeObject): boolean {
  for (const r of reqs) {
    const v = fieldValue(o, r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}

export function parseSelector(q: URLSearchParams, r: ResourceType): Selector {
  const labelText = q.get('labelSelector') ?? '';
  const labels = parseLabelSelector(labelText);
  const fields = parseFieldSelector(q.get('fieldSelector'), r);
  const name = fields.find((f) => f.field === 'metadata.name' && f.op === '=')?.value;
  return { labels, fields, name };
}

export function matches(sel: Selector, o: KubeObject): boolean {
  return matchLabels(sel.labels, o.metadata.labels) && matchFields(sel.fields, o);
}

export function isEverything(sel: Selector): boolean {
  return sel.labels.length === 0 && sel.fields.length === 0;
}
