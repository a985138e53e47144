// Node, Namespace, ConfigMap, Secret, ServiceAccount, Event and Lease rows (printers.go printNode,
// printNamespace, printConfigMap, printSecret, printServiceAccount, printEvent, printLease).

import type { KubeObject } from '../../api/types.ts';
import { ageSince } from '../age.ts';
import { AGE_COL, NAME_COL, col, type Printer } from '../columns.ts';

/** Node roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels, sorted. */
export function nodeRoles(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

/** The STATUS cell: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: KubeObject): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
  const a = (node.status?.addresses ?? []).find((x: { type: string }) => x.type === type);
  return a?.address ?? '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE_COL,
    col('Version', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', { priority: 1 }),
    col('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', { priority: 1 }),
    col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
    col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
    col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
  ],
  cells(node, now) {
    const info = node.status?.nodeInfo ?? {};
    return [
      node.metadata.name, nodeStatus(node), nodeRoles(node).join(',') || '<none>', ageSince(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? '', nodeAddress(node, 'InternalIP'), nodeAddress(node, 'ExternalIP'),
      info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>',
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [NAME_COL, col('Status', 'The status of the namespace'), AGE_COL],
  cells: (ns, now) => [ns.metadata.name, ns.status?.phase ?? '', ageSince(ns.metadata.creationTimestamp, now)],
};

export const configMapPrinter: Printer = {
  columns: [NAME_COL, col('Data', 'Data contains the configuration data.', { type: 'string' }), AGE_COL],
  cells: (cm, now) => [
    cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    ageSince(cm.metadata.creationTimestamp, now),
  ],
};

export const secretPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Type', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'Data contains the secret data.', { type: 'string' }),
    AGE_COL,
  ],
  cells: (s, now) => [s.metadata.name, s.type ?? '', Object.keys(s.data ?? {}).length, ageSince(s.metadata.creationTimestamp, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: [NAME_COL, col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', { type: 'string' }), AGE_COL],
  cells: (sa, now) => [sa.metadata.name, (sa.secrets ?? []).length, ageSince(sa.metadata.creationTimestamp, now)],
};

/** formatEventSource: `component, host` (or the reporting controller and instance). */
export function eventSource(ev: KubeObject): string {
  const component: string = ev.source?.component || ev.reportingController || '';
  const host: string = ev.source?.host || ev.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

/** Last-seen age of an event: series, lastTimestamp, firstTimestamp or eventTime. */
export function eventTimes(ev: KubeObject, now: Date): { first: string; last: string; count: number } {
  const first = ev.firstTimestamp ? ageSince(ev.firstTimestamp, now) : ageSince(ev.eventTime, now);
  let last = ev.lastTimestamp ? ageSince(ev.lastTimestamp, now) : first;
  let count: number = ev.count ?? 0;
  if (ev.series) {
    last = ageSince(ev.series.lastObservedTime, now);
    count = ev.series.count ?? 0;
  } else if (count === 0) count = 1;
  return { first, last, count };
}

export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col('Object', 'The object that this event is about.'),
    col('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', { priority: 1 }),
    col('Source', 'The component reporting this event. Should be a short machine understandable string.', { priority: 1 }),
    col('Message', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { priority: 1 }),
    col('Count', 'The number of times this event has occurred.', { priority: 1 }),
    col('Name', NAME_COL.description, { priority: 1, format: 'name' }),
  ],
  cells(ev, now) {
    const t = eventTimes(ev, now);
    const io = ev.involvedObject ?? {};
    const kind = String(io.kind ?? '').toLowerCase();
    const target = io.name ? `${kind}/${io.name}` : kind;
    return [
      t.last, ev.type ?? '', ev.reason ?? '', target, io.fieldPath ?? '', eventSource(ev),
      String(ev.message ?? '').trim(), t.first, t.count, ev.metadata.name,
    ];
  },
};

export const leasePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Holder', 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.'),
    AGE_COL,
  ],
  cells: (l, now) => [l.metadata.name, l.spec?.holderIdentity ?? '', ageSince(l.metadata.creationTimestamp, now)],
};
