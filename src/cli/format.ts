// Object output as kubectl prints it: -o yaml (sigs.k8s.io/yaml: keys sorted, sequences not
// indented, timestamps quoted), -o json (4-space indent, keys sorted), -o name, and the
// `List` wrapper kubectl uses for several objects.
import { stringify } from 'yaml';
import type { KubeObject } from '../api/types.ts';
import { byKind, qualifiedSingular } from '../api/resources.ts';

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function toYaml(v: unknown): string {
  return stringify(sortKeys(v), { indentSeq: false, schema: 'yaml-1.1', lineWidth: 0, aliasDuplicateObjects: false });
}

/** Go's encoding/json escapes <, >, & and the JS line separators; kubectl's output shows that. */
export function toJson(v: unknown): string {
  const text = JSON.stringify(sortKeys(v), null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}

export function asList(items: KubeObject[]): KubeObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** `service/kubia`, `deployment.apps/web`. */
export function objectName(obj: KubeObject): string {
  const r = byKind(obj.apiVersion, obj.kind);
  const prefix = r ? qualifiedSingular(r) : obj.kind.toLowerCase();
  return `${prefix}/${obj.metadata.name}`;
}

export type OutputFormat = 'yaml' | 'json' | 'name';

export function printObjects(objs: KubeObject[], format: OutputFormat, single: boolean): string {
  if (format === 'name') return objs.map((o) => `${objectName(o)}\n`).join('');
  const doc = single && objs.length === 1 ? objs[0] : asList(objs);
  return format === 'yaml' ? toYaml(doc) : toJson(doc);
}
