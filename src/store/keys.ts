// Store keys: one string per object, `/<group or core>/<plural>/<namespace>/<name>` (cluster-scoped
// kinds have no namespace segment). Keys sort so that every list is one primary-key range scan.
import type { ResourceType } from '../api/resources.ts';

function groupSegment(r: Pick<ResourceType, 'group'>): string {
  return r.group || 'core';
}

/** '/core/services/default/kubia', '/apps/deployments/default/web', '/core/nodes/n1'. */
export function keyFor(r: Pick<ResourceType, 'group' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string): string {
  if (r.namespaced) {
    if (!namespace) throw new Error(`keyFor: ${r.plural} is namespaced, a namespace is required`);
    return `/${groupSegment(r)}/${r.plural}/${namespace}/${name}`;
  }
  return `/${groupSegment(r)}/${r.plural}/${name}`;
}

/** '/core/services/' (every namespace) or '/core/services/default/'. Always ends with '/'. */
export function prefixFor(r: Pick<ResourceType, 'group' | 'plural' | 'namespaced'>, namespace?: string): string {
  if (namespace && r.namespaced) return `/${groupSegment(r)}/${r.plural}/${namespace}/`;
  return `/${groupSegment(r)}/${r.plural}/`;
}

/**
 * The smallest string greater than every string starting with `prefix` (SQLite compares TEXT
 * bytewise): the prefix with its last code unit incremented. '' has no bound (everything matches).
 */
export function prefixEnd(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
