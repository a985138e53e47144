// Patch metadata of the served kinds: for each Go type, the fields whose patch strategy is not
// the default (`patchStrategy`/`patchMergeKey` struct tags of k8s.io/api), and the types of
// the fields that lead to them. A field not listed merges if it is a map and is replaced if it
// is a list, as strategic merge patch does for untagged fields.

export interface FieldMeta {
  /** Go type of the field (of its items, for a list), when it has listed fields itself. */
  type?: string;
  /** 'merge' lists merge by `key` (or as a set, for primitives); 'replace' maps are replaced whole. */
  strategy?: 'merge' | 'replace';
  /** The field's items (or the map itself) take `$retainKeys`. */
  retainKeys?: boolean;
  key?: string;
}

const merge = (key?: string, type?: string): FieldMeta => ({ strategy: 'merge', ...(key ? { key } : {}), ...(type ? { type } : {}) });
const conditions = merge('type');

export const TYPES: Record<string, Record<string, FieldMeta>> = {
  ObjectMeta: { ownerReferences: merge('uid'), finalizers: merge() },
  // core/v1
  Pod: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },
  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  PodSpec: {
    volumes: { ...merge('name', 'Volume'), retainKeys: true },
    initContainers: merge('name', 'Container'),
    containers: merge('name', 'Container'),
    ephemeralContainers: merge('name', 'Container'),
    imagePullSecrets: merge('name'),
    hostAliases: merge('ip'),
    topologySpreadConstraints: merge('topologyKey'),
    schedulingGates: merge('name'),
    resourceClaims: { ...merge('name'), retainKeys: true },
  },
  Container: { ports: merge('containerPort'), env: merge('name'), volumeMounts: merge('mountPath'), volumeDevices: merge('devicePath') },
  Volume: {},
  PodStatus: {
    conditions,
    podIPs: merge('ip'),
    hostIPs: merge('ip'),
    resourceClaimStatuses: { ...merge('name'), retainKeys: true },
  },
  Service: { metadata: { type: 'ObjectMeta' }, spec: { type: 'ServiceSpec' }, status: { type: 'ServiceStatus' } },
  ServiceSpec: { ports: merge('port') },
  ServiceStatus: { conditions },
  Node: { metadata: { type: 'ObjectMeta' }, spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } },
  NodeSpec: { podCIDRs: merge() },
  NodeStatus: { conditions, addresses: merge('type') },
  Namespace: { metadata: { type: 'ObjectMeta' }, status: { type: 'NamespaceStatus' } },
  NamespaceStatus: { conditions },
  Endpoints: { metadata: { type: 'ObjectMeta' } },
  ConfigMap: { metadata: { type: 'ObjectMeta' } },
  Secret: { metadata: { type: 'ObjectMeta' } },
  ServiceAccount: { metadata: { type: 'ObjectMeta' }, secrets: merge('name') },
  Event: { metadata: { type: 'ObjectMeta' } },
  // apps/v1
  Deployment: { metadata: { type: 'ObjectMeta' }, spec: { type: 'DeploymentSpec' }, status: { type: 'WorkloadStatus' } },
  DeploymentSpec: { template: { type: 'PodTemplateSpec' }, strategy: { retainKeys: true } },
  ReplicaSet: { metadata: { type: 'ObjectMeta' }, spec: { type: 'ReplicaSetSpec' }, status: { type: 'WorkloadStatus' } },
  ReplicaSetSpec: { template: { type: 'PodTemplateSpec' } },
  WorkloadStatus: { conditions },
  StatefulSet: { metadata: { type: 'ObjectMeta' }, spec: { type: 'StatefulSetSpec' }, status: { type: 'WorkloadStatus' } },
  StatefulSetSpec: { template: { type: 'PodTemplateSpec' } },
  DaemonSet: { metadata: { type: 'ObjectMeta' }, spec: { type: 'DaemonSetSpec' }, status: { type: 'WorkloadStatus' } },
  DaemonSetSpec: { template: { type: 'PodTemplateSpec' } },
  ControllerRevision: { metadata: { type: 'ObjectMeta' } },
  // batch/v1
  Job: { metadata: { type: 'ObjectMeta' }, spec: { type: 'JobSpec' }, status: { type: 'WorkloadStatus' } },
  JobSpec: { template: { type: 'PodTemplateSpec' } },
  CronJob: { metadata: { type: 'ObjectMeta' }, spec: { type: 'CronJobSpec' } },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  JobTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'JobSpec' } },
  // autoscaling/v2, coordination.k8s.io/v1
  HorizontalPodAutoscaler: { metadata: { type: 'ObjectMeta' }, status: { type: 'WorkloadStatus' } },
  Lease: { metadata: { type: 'ObjectMeta' } },
  // networking.k8s.io/v1, discovery.k8s.io/v1: every list is atomic
  Ingress: { metadata: { type: 'ObjectMeta' } },
  IngressClass: { metadata: { type: 'ObjectMeta' } },
  EndpointSlice: { metadata: { type: 'ObjectMeta' } },
  // autoscaling/v1 Scale (the scale subresource)
  Scale: { metadata: { type: 'ObjectMeta' } },
};

/** A position in the type table: the Go type whose fields are being merged (undefined: untyped). */
export type Schema = string | undefined;

/** The schema for an object of this kind (unknown kinds merge untyped). */
export function schemaForKind(kind: string): Schema {
  return Object.hasOwn(TYPES, kind) ? kind : undefined;
}

const NONE: FieldMeta = {};

/** Patch metadata of `field` in `schema`, and the schema of its value (or list items). */
export function lookup(schema: Schema, field: string): { meta: FieldMeta; sub: Schema } {
  const meta = (schema !== undefined && TYPES[schema]?.[field]) || NONE;
  return { meta, sub: meta.type };
}
