// Shared pieces of the per-kind printers: the Printer shape, column definitions with the
// Kubernetes descriptions, and formatting helpers several kinds use (selectors, containers).

import type { KubeObject } from '../api/types.ts';
import type { TableColumnDefinition } from './table.ts';

export interface Printer {
  columns: TableColumnDefinition[];
  /** All cells, wide ones included: the server always sends them, kubectl hides priority>0. */
  cells(obj: KubeObject, now: Date): unknown[];
}

export function col(name: string, description: string, opts: { type?: string; priority?: number; format?: string } = {}): TableColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

export const NAME_COL = col(
  'Name',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  { format: 'name' },
);

export const AGE_COL = col(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);

export const CONTAINERS_COL = col('Containers', 'Names of each container in the template.', { priority: 1 });
export const IMAGES_COL = col('Images', 'Images referenced by each container in the template.', { priority: 1 });

/** layoutContainerCells: container names and images, each joined with ','. */
export function containerCells(podSpec: { containers?: { name?: string; image?: string }[] } | undefined): [string, string] {
  const cs = podSpec?.containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** Sorted, de-duplicated IPs or hostnames of a load balancer status, joined with ','. */
export function loadBalancerIngress(lb: { ingress?: { ip?: string; hostname?: string }[] } | undefined): string {
  const set = new Set<string>();
  for (const i of lb?.ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}
