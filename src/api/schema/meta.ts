// Schemas of meta/v1 types every kind shares: ObjectMeta, LabelSelector, Condition, and the
// top-level envelope (apiVersion, kind, metadata) of a served object.
import { any, arr, bool, i64, obj, str, strMap, strings, time } from './types.ts';
import type { FieldSchema, ObjectSchema } from './types.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export const ownerReference = obj(
  META + 'OwnerReference',
  { apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool },
  ['apiVersion', 'kind', 'name', 'uid'],
);

export const managedFieldsEntry = obj(META + 'ManagedFieldsEntry', {
  manager: str,
  operation: str,
  apiVersion: str,
  time,
  fieldsType: str,
  fieldsV1: any,
  subresource: str,
});

export const objectMeta = obj(META + 'ObjectMeta', {
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: i64,
  creationTimestamp: time,
  deletionTimestamp: time,
  deletionGracePeriodSeconds: i64,
  labels: strMap,
  annotations: strMap,
  ownerReferences: arr(ownerReference),
  finalizers: strings,
  managedFields: arr(managedFieldsEntry),
});

export const labelSelector = obj(META + 'LabelSelector', {
  matchLabels: strMap,
  matchExpressions: arr(obj(META + 'LabelSelectorRequirement', { key: str, operator: str, values: strings }, ['key', 'operator'])),
});

/** metav1.Condition, used by Service status. */
export const metaCondition = obj(
  META + 'Condition',
  { type: str, status: str, observedGeneration: i64, lastTransitionTime: time, reason: str, message: str },
  ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
);

/** A served kind's top level: apiVersion, kind, metadata plus the kind's own fields. */
export function topLevel(def: string, fields: Record<string, FieldSchema>): ObjectSchema {
  return obj(def, { apiVersion: str, kind: str, metadata: objectMeta, ...fields });
}
