// Field schemas of the served kinds and strict decoding against them. The API server calls
// decode() on every create/update/patch body and turns the result into the 400 Kubernetes
// gives with strictDecodingError(); normalizeObject() then leaves what the Go types would hold.
// Owns: which fields exist and their JSON types. Does not
// default or validate values (src/api/defaults, src/api/validation do).
import { errors } from '../status.ts';
import type { ApiError } from '../status.ts';
import type { ResourceType } from '../resources.ts';
import { controllerRevision, daemonSet, deployment, replicaSet, statefulSet } from './apps.ts';
import { lease, selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview } from './access.ts';
import { horizontalPodAutoscalerV1, horizontalPodAutoscalerV2 } from './autoscaling.ts';
import { cronJob, job } from './batch.ts';
import { configMap, event, namespace, node, secret, serviceAccount } from './core.ts';
import { decodeWith } from './decode.ts';
import { normalize } from './normalize.ts';
import type { DecodeResult } from './decode.ts';
import { ingress, ingressClass } from './networking.ts';
import { ingressExtensionsV1beta1, ingressNetworkingV1beta1 } from './networking-v1beta1.ts';
import { pod } from './pod.ts';
import { endpointSlice, endpoints, service } from './service.ts';
import { persistentVolume, persistentVolumeClaim, storageClass } from './storage.ts';
import type { ObjectSchema } from './types.ts';

export type { DecodeResult } from './decode.ts';
export type { FieldSchema, ObjectSchema } from './types.ts';

const SCHEMAS: Record<string, ObjectSchema> = {
  'v1/Namespace': namespace,
  'v1/Node': node,
  'v1/Pod': pod,
  'v1/Service': service,
  'v1/Endpoints': endpoints,
  'v1/ConfigMap': configMap,
  'v1/Secret': secret,
  'v1/ServiceAccount': serviceAccount,
  'v1/Event': event,
  'v1/PersistentVolume': persistentVolume,
  'v1/PersistentVolumeClaim': persistentVolumeClaim,
  'storage.k8s.io/v1/StorageClass': storageClass,
  'apps/v1/Deployment': deployment,
  'apps/v1/ReplicaSet': replicaSet,
  'apps/v1/StatefulSet': statefulSet,
  'apps/v1/DaemonSet': daemonSet,
  'apps/v1/ControllerRevision': controllerRevision,
  'batch/v1/Job': job,
  'batch/v1/CronJob': cronJob,
  'autoscaling/v2/HorizontalPodAutoscaler': horizontalPodAutoscalerV2,
  'autoscaling/v1/HorizontalPodAutoscaler': horizontalPodAutoscalerV1,
  'coordination.k8s.io/v1/Lease': lease,
  'authorization.k8s.io/v1/SelfSubjectAccessReview': selfSubjectAccessReview,
  'authorization.k8s.io/v1/SelfSubjectRulesReview': selfSubjectRulesReview,
  'authentication.k8s.io/v1/SelfSubjectReview': selfSubjectReview,
  'networking.k8s.io/v1/Ingress': ingress,
  'networking.k8s.io/v1/IngressClass': ingressClass,
  'discovery.k8s.io/v1/EndpointSlice': endpointSlice,
  'networking.k8s.io/v1beta1/Ingress': ingressNetworkingV1beta1,
  'extensions/v1beta1/Ingress': ingressExtensionsV1beta1,
};

function key(r: Pick<ResourceType, 'group' | 'version' | 'kind'>): string {
  return `${r.group ? `${r.group}/` : ''}${r.version}/${r.kind}`;
}

/** The top-level schema of a served kind. Throws for a kind mk does not serve. */
export function schemaFor(r: Pick<ResourceType, 'group' | 'version' | 'kind'>): ObjectSchema {
  const s = SCHEMAS[key(r)];
  if (!s) throw new Error(`no schema for ${key(r)}`);
  return s;
}

/** Drops unknown fields and turns nulls into zero values, as decoding into the Go type does (after decode() found no type error). */
export function normalizeObject(obj: Record<string, unknown>, r: ResourceType): void {
  normalize(obj, schemaFor(r));
}

/** Unknown fields and type errors in a request body, as the API server's decoder finds them. */
export function decode(obj: unknown, r: ResourceType): DecodeResult {
  return decodeWith(obj, schemaFor(r));
}

/**
 * The 400 Kubernetes answers for a body that does not decode: the first type error (always
 * fatal), else, when `strict` (fieldValidation=Strict, kubectl's default), every unknown field:
 * `Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.sepc"`.
 */
export function strictDecodingError(r: ResourceType, result: DecodeResult, opts: { strict?: boolean } = {}): ApiError | undefined {
  const prefix = `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: `;
  if (result.typeErrors.length > 0) return errors.badRequest(prefix + result.typeErrors[0]);
  if ((opts.strict ?? true) && result.unknownFields.length > 0) {
    return errors.badRequest(prefix + 'strict decoding error: ' + result.unknownFields.map((f) => `unknown field "${f}"`).join(', '));
  }
  return undefined;
}

/** Warnings for fieldValidation=Warn: `unknown field "spec.sepc"`, one per field. */
export function unknownFieldWarnings(result: DecodeResult): string[] {
  return result.unknownFields.map((f) => `unknown field "${f}"`);
}
