// describe: kubectl describe's layout for each served kind, from the object and the related
// objects the caller fetched (events, endpoints/slices, pods, replica sets, services).
// Pure: no I/O here; the CLI and tests pass everything in.

import type { KubeObject } from '../../api/types.ts';
import type { ResourceType } from '../../api/resources.ts';
import { describeEndpoints, describeService } from './service.ts';
import { describePod } from './pod.ts';
import { describeDeployment, describeReplicaSet } from './workloads.ts';
import { describeConfigMap, describeGeneric, describeNamespace, describeNode, describeSecret, describeServiceAccount } from './misc.ts';
import { describeIngress } from './ingress.ts';
import { describePersistentVolume, describePersistentVolumeClaim, describeStorageClass } from './storage.ts';
import { describeDaemonSet, describeStatefulSet } from './sets.ts';
import { describeCronJob, describeJob } from './batch.ts';
import { describeHorizontalPodAutoscaler } from './autoscaling.ts';

export interface DescribeContext {
  events?: KubeObject[];
  endpoints?: KubeObject;
  /** a Service's EndpointSlices; for an Ingress, every slice of its namespace */
  endpointSlices?: KubeObject[];
  /** the pods of a ReplicaSet, StatefulSet or DaemonSet (its selector's), or on a Node */
  pods?: KubeObject[];
  replicaSets?: KubeObject[];
  now?: Date;
  /** Ingress backends: the Services of the namespace (and its EndpointSlices in endpointSlices). */
  services?: KubeObject[];
  /** a ServiceAccount's namespace's Secrets (its token secrets, and which it names are missing) */
  secrets?: KubeObject[];
  /** a Node's Lease in kube-node-lease (null: it could not be read) */
  lease?: KubeObject | null;
}

export function describe(r: ResourceType, obj: KubeObject, ctx: DescribeContext = {}): string {
  const now = ctx.now ?? new Date();
  switch (r.kind) {
    case 'Service': return describeService(obj, ctx, now);
    case 'Endpoints': return describeEndpoints(obj, ctx, now);
    case 'Pod': return describePod(obj, ctx, now);
    case 'Deployment': return describeDeployment(obj, ctx, now);
    case 'ReplicaSet': return describeReplicaSet(obj, ctx, now);
    case 'StatefulSet': return describeStatefulSet(obj, ctx, now);
    case 'DaemonSet': return describeDaemonSet(obj, ctx, now);
    case 'Job': return describeJob(obj, ctx, now);
    case 'CronJob': return describeCronJob(obj, ctx, now);
    case 'HorizontalPodAutoscaler': return describeHorizontalPodAutoscaler(obj, ctx, now);
    case 'Ingress': return describeIngress(obj, ctx, now);
    case 'Namespace': return describeNamespace(obj);
    case 'ConfigMap': return describeConfigMap(obj, ctx, now);
    case 'Secret': return describeSecret(obj);
    case 'ServiceAccount': return describeServiceAccount(obj, ctx, now);
    case 'Node': return describeNode(obj, ctx, now);
    case 'PersistentVolume': return describePersistentVolume(obj, ctx, now);
    case 'PersistentVolumeClaim': return describePersistentVolumeClaim(obj, ctx, now);
    case 'StorageClass': return describeStorageClass(obj, ctx, now);
    default: return describeGeneric(obj, ctx, now);
  }
}
