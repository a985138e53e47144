// The selectors of list, watch and deletecollection: the label selector (parsed by
// src/api/labels.ts) and the field selector (`metadata.name=x,status.phase!=Running`), whose
// field labels are per kind, like Kubernetes'.
import { matchRequirements, parseLabelSelector, splitSelector, type LabelRequirement } from '../api/labels.ts';
import type { ResourceType } from '../api/resources.ts';
import { errors } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';

export interface FieldRequirement { field: string; op: '=' | '!='; value: string }

export interface Selector {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** The name asked for by `metadata.name=x`, so a watch can narrow what it looks at. */
  name?: string;
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
  return splitSelector(text).map((part) => {
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
  return matchRequirements(sel.labels, o.metadata.labels) && matchFields(sel.fields, o);
}
