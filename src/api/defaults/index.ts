// Defaulting of the served kinds, as Kubernetes applies it after decoding and before
// validation. applyDefaults mutates the object by its kind; it never rejects anything.
// Owns: default values. Does not allocate ClusterIPs/nodePorts or set metadata (the API server does).
import type { KubeObject } from '../types.ts';
import { defaultPodSpec, defaultPodTemplate } from './pod.ts';
import { defaultService } from './service.ts';
import { defaultPersistentVolume, defaultPersistentVolumeClaim, defaultStorageClass } from './storage.ts';
import { defaultCronJob, defaultDaemonSet, defaultHorizontalPodAutoscaler, defaultJob, defaultStatefulSet } from './workloads.ts';

export { defaultPullPolicy } from './pod.ts';

type Obj = Record<string, any>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function defaultPorts(ports: unknown): void {
  if (Array.isArray(ports)) for (const p of ports) if (isObj(p)) p.protocol ??= 'TCP';
}

function defaultDeployment(obj: KubeObject): void {
  if (!isObj(obj.spec)) obj.spec = {};
  const spec = obj.spec;
  spec.replicas ??= 1;
  if (!isObj(spec.strategy)) spec.strategy = {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    if (!isObj(spec.strategy.rollingUpdate)) spec.strategy.rollingUpdate = {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

function defaultReplicaSet(obj: KubeObject): void {
  if (!isObj(obj.spec)) obj.spec = {};
  obj.spec.replicas ??= 1;
  defaultPodTemplate(obj.spec.template);
}

const BY_KIND: Record<string, (obj: KubeObject) => void> = {
  Pod: (obj) => {
    if (!isObj(obj.spec)) obj.spec = {};
    defaultPodSpec(obj.spec);
  },
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  StatefulSet: defaultStatefulSet,
  DaemonSet: defaultDaemonSet,
  Job: defaultJob,
  CronJob: defaultCronJob,
  HorizontalPodAutoscaler: (obj) => {
    if (obj.apiVersion === 'autoscaling/v2') defaultHorizontalPodAutoscaler(obj);
  },
  Service: defaultService,
  Namespace: (obj) => {
    if (!isObj(obj.spec)) obj.spec = {};
    obj.spec.finalizers ??= ['kubernetes'];
    if (!isObj(obj.status)) obj.status = {};
    obj.status.phase ??= 'Active';
  },
  Secret: (obj) => {
    obj.type ??= 'Opaque';
    // stringData is write-only: merged into data (base64), as the v1 → internal conversion does
    if (isObj(obj.stringData)) {
      const data: Obj = isObj(obj.data) ? { ...obj.data } : {};
      for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
      obj.data = data;
    }
    delete obj.stringData;
  },
  Endpoints: (obj) => {
    if (Array.isArray(obj.subsets)) for (const s of obj.subsets) if (isObj(s)) defaultPorts(s.ports);
  },
  EndpointSlice: (obj) => {
    defaultPorts(obj.ports);
  },
  PersistentVolume: defaultPersistentVolume,
  PersistentVolumeClaim: defaultPersistentVolumeClaim,
  StorageClass: defaultStorageClass,
  Node: (obj) => {
    if (isObj(obj.status) && isObj(obj.status.capacity)) obj.status.allocatable ??= { ...obj.status.capacity };
  },
};

/** Fills in Kubernetes' defaults for the object's kind, in place. */
export function applyDefaults(obj: KubeObject): void {
  BY_KIND[obj.kind]?.(obj);
}
