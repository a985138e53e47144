// Validation of the served kinds, as the API server runs it after defaulting: returns the
// field causes Kubernetes would report (`spec.ports[0].port: Invalid value: 0: must be between
// 1 and 65535, inclusive`); an empty list means valid. `old` is given on update and enables
// the immutability rules. Owns: what is a valid object. Does not check cross-object facts
// (taken nodePorts, existing namespaces): the API server and allocators do.
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { validateDeployment, validateReplicaSet } from './apps.ts';
import { validateCronJob, validateJob } from './batch.ts';
import { validateControllerRevision, validateDaemonSet, validateHorizontalPodAutoscaler, validateStatefulSet } from './workloads.ts';
import { validateConfigMap, validateEvent, validateNamespace, validateNode, validateSecret, validateServiceAccount } from './config.ts';
import { validateObjectMetaUpdate } from './meta.ts';
import { validateEndpointSlice, validateEndpoints, validateIngress, validateIngressClass } from './network.ts';
import { validatePod } from './pod.ts';
import { validateService } from './service.ts';
import { validatePersistentVolume, validatePersistentVolumeClaim, validateStorageClass } from './storage.ts';

type Validator = (obj: KubeObject, old?: KubeObject) => StatusCause[];

const BY_KIND: Record<string, Validator> = {
  Pod: validatePod,
  Service: validateService,
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  StatefulSet: validateStatefulSet,
  DaemonSet: validateDaemonSet,
  ControllerRevision: validateControllerRevision,
  Job: validateJob,
  CronJob: validateCronJob,
  HorizontalPodAutoscaler: validateHorizontalPodAutoscaler,
  Endpoints: validateEndpoints,
  EndpointSlice: validateEndpointSlice,
  Ingress: validateIngress,
  IngressClass: validateIngressClass,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  ServiceAccount: validateServiceAccount,
  Namespace: validateNamespace,
  Node: validateNode,
  Event: validateEvent,
  PersistentVolume: validatePersistentVolume,
  PersistentVolumeClaim: validatePersistentVolumeClaim,
  StorageClass: validateStorageClass,
};

export function validate(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const v = BY_KIND[obj.kind];
  if (!v) return [];
  const causes = old ? validateObjectMetaUpdate(obj, old) : [];
  causes.push(...v(obj, old));
  return causes;
}
