// Printers: one per served kind, shared by the API server (Table answers for kubectl's
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) and by mk's own get/describe.
// This module owns the column sets and cell values (kubernetes pkg/printers/internalversion)
// and how kubectl renders them; it never fetches anything: callers pass objects in.

import type { KubeObject } from '../api/types.ts';
import type { ResourceType } from '../api/resources.ts';
import { NAME_COL, col, type Printer } from './columns.ts';
import { podPrinter } from './kinds/pod.ts';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './kinds/service.ts';
import { deploymentPrinter, replicaSetPrinter } from './kinds/workloads.ts';
import { configMapPrinter, eventPrinter, leasePrinter, namespacePrinter, nodePrinter, secretPrinter, serviceAccountPrinter } from './kinds/cluster.ts';
import { controllerRevisionPrinter, daemonSetPrinter, statefulSetPrinter } from './kinds/sets.ts';
import { cronJobPrinter, jobPrinter } from './kinds/batch.ts';
import { horizontalPodAutoscalerPrinter } from './kinds/autoscaling.ts';
import { ingressClassPrinter, ingressPrinter } from './kinds/ingress.ts';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './kinds/storage.ts';
import type { Table } from './table.ts';

export type { Table, TableColumnDefinition, TableRow, RenderOptions } from './table.ts';
export { renderTable, formatLabels } from './table.ts';
export { humanDuration, ageSince } from './age.ts';
export { describe, type DescribeContext } from './describe/index.ts';

const PRINTERS: Record<string, Printer> = {
  Pod: podPrinter,
  Service: servicePrinter,
  Endpoints: endpointsPrinter,
  EndpointSlice: endpointSlicePrinter,
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
  StatefulSet: statefulSetPrinter,
  DaemonSet: daemonSetPrinter,
  ControllerRevision: controllerRevisionPrinter,
  Job: jobPrinter,
  CronJob: cronJobPrinter,
  HorizontalPodAutoscaler: horizontalPodAutoscalerPrinter,
  Lease: leasePrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  Event: eventPrinter,
  Ingress: ingressPrinter,
  IngressClass: ingressClassPrinter,
  PersistentVolume: persistentVolumePrinter,
  PersistentVolumeClaim: persistentVolumeClaimPrinter,
  StorageClass: storageClassPrinter,
};

/** The API server's default for kinds without a printer: NAME and `Created At` (RFC 3339). */
const defaultPrinter: Printer = {
  columns: [NAME_COL, col('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' })],
  cells: (obj) => [obj.metadata.name, obj.metadata.creationTimestamp ?? null],
};

export function printerFor(kind: string): Printer {
  return PRINTERS[kind] ?? defaultPrinter;
}

function rowObject(obj: KubeObject, includeObject: 'None' | 'Metadata' | 'Object'): unknown {
  if (includeObject === 'None') return null;
  if (includeObject === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** Builds the Table the API server answers with (all columns, wide ones flagged by priority). */
export function toTable(
  r: ResourceType,
  objects: KubeObject[],
  opts: { now?: Date; includeObject?: 'None' | 'Metadata' | 'Object' } = {},
): Table {
  const now = opts.now ?? new Date();
  const printer = printerFor(r.kind);
  const includeObject = opts.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows: objects.map((obj) => ({ cells: printer.cells(obj, now), object: rowObject(obj, includeObject) })),
  };
}
