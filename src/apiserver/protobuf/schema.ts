// Field numbers of the Kubernetes protobuf messages mk reads (k8s.io/api generated.proto), for
// the request bodies typed clients send: kubectl 1.32+ `create deployment|service|configmap|
// secret|namespace|ingress|serviceaccount|token|job|cronjob`, `autoscale` and `auth can-i|whoami` encode their
// object as application/vnd.kubernetes.protobuf. Pod templates (schema-pod.ts), Jobs, CronJobs and
// access reviews (schema-batch.ts) and autoscalers (schema-autoscaling.ts) come from kubectl's own
// descriptors.
// Only fields that such bodies can carry a value in are listed; a field missing here that
// arrives with a non-zero value is refused (415), never silently dropped.

import { POD_MESSAGES } from './schema-pod.ts';
import { BATCH_AND_REVIEW_MESSAGES } from './schema-batch.ts';
import { AUTOSCALING_MESSAGES } from './schema-autoscaling.ts';

/** A field: JSON name, type, and whether it repeats. Types: scalars, `map:<value type>`, or a message name. */
export interface FieldDef { name: string; type: string; repeated?: boolean; /** inlined into the parent (IngressRuleValue) */ inline?: boolean; /** a pointer in Go: 0/false/'' are real values */ keepZero?: boolean }
export type MessageDef = Record<number, FieldDef>;

const f = (name: string, type: string, opts: Partial<FieldDef> = {}): FieldDef => ({ name, type, ...opts });
const rep = (name: string, type: string): FieldDef => ({ name, type, repeated: true });

export const MESSAGES: Record<string, MessageDef> = {
  TypeMeta: { 1: f('apiVersion', 'string'), 2: f('kind', 'string') },
  Unknown: { 1: f('typeMeta', 'TypeMeta'), 2: f('raw', 'bytes'), 3: f('contentEncoding', 'string'), 4: f('contentType', 'string') },
  ObjectMeta: {
    1: f('name', 'string'), 2: f('generateName', 'string'), 3: f('namespace', 'string'), 4: f('selfLink', 'string'), 5: f('uid', 'string'),
    6: f('resourceVersion', 'string'), 7: f('generation', 'int'), 8: f('creationTimestamp', 'time'), 9: f('deletionTimestamp', 'time'),
    10: f('deletionGracePeriodSeconds', 'int', { keepZero: true }), 11: f('labels', 'map:string'), 12: f('annotations', 'map:string'),
    13: rep('ownerReferences', 'OwnerReference'), 14: rep('finalizers', 'string'),
  },
  OwnerReference: { 1: f('kind', 'string'), 3: f('name', 'string'), 4: f('uid', 'string'), 5: f('apiVersion', 'string'), 6: f('controller', 'bool', { keepZero: true }), 7: f('blockOwnerDeletion', 'bool', { keepZero: true }) },
  LabelSelector: { 1: f('matchLabels', 'map:string'), 2: rep('matchExpressions', 'LabelSelectorRequirement') },
  LabelSelectorRequirement: { 1: f('key', 'string'), 2: f('operator', 'string'), 3: rep('values', 'string') },
  IntOrString: { 1: f('type', 'int'), 2: f('intVal', 'int'), 3: f('strVal', 'string') },
  Quantity: { 1: f('string', 'string') },

  Deployment: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'DeploymentSpec'), 3: f('status', 'DeploymentStatus') },
  DeploymentSpec: {
    1: f('replicas', 'int', { keepZero: true }), 2: f('selector', 'LabelSelector'), 3: f('template', 'PodTemplateSpec'), 4: f('strategy', 'DeploymentStrategy'),
    5: f('minReadySeconds', 'int'), 6: f('revisionHistoryLimit', 'int', { keepZero: true }), 7: f('paused', 'bool'), 9: f('progressDeadlineSeconds', 'int', { keepZero: true }),
  },
  DeploymentStrategy: { 1: f('type', 'string'), 2: f('rollingUpdate', 'RollingUpdateDeployment') },
  RollingUpdateDeployment: { 1: f('maxUnavailable', 'IntOrString'), 2: f('maxSurge', 'IntOrString') },
  DeploymentStatus: { 1: f('observedGeneration', 'int'), 2: f('replicas', 'int'), 3: f('updatedReplicas', 'int'), 4: f('unavailableReplicas', 'int'), 5: f('availableReplicas', 'int'), 7: f('readyReplicas', 'int') },

  Service: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'ServiceSpec'), 3: f('status', 'ServiceStatus') },
  ServiceSpec: {
    1: rep('ports', 'ServicePort'), 2: f('selector', 'map:string'), 3: f('clusterIP', 'string'), 4: f('type', 'string'), 5: rep('externalIPs', 'string'),
    7: f('sessionAffinity', 'string'), 8: f('loadBalancerIP', 'string'), 10: f('externalName', 'string'), 11: f('externalTrafficPolicy', 'string'),
  },
  ServicePort: { 1: f('name', 'string'), 2: f('protocol', 'string'), 3: f('port', 'int'), 4: f('targetPort', 'IntOrString'), 5: f('nodePort', 'int') },
  ServiceStatus: {},

  ConfigMap: { 1: f('metadata', 'ObjectMeta'), 2: f('data', 'map:string'), 3: f('binaryData', 'map:bytes'), 4: f('immutable', 'bool', { keepZero: true }) },
  Secret: { 1: f('metadata', 'ObjectMeta'), 2: f('data', 'map:bytes'), 3: f('type', 'string'), 4: f('stringData', 'map:string'), 5: f('immutable', 'bool', { keepZero: true }) },
  Namespace: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'NamespaceSpec'), 3: f('status', 'NamespaceStatus') },
  NamespaceSpec: { 1: rep('finalizers', 'string') },
  NamespaceStatus: { 1: f('phase', 'string') },

  Ingress: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'IngressSpec'), 3: f('status', 'IngressStatus') },
  IngressSpec: { 1: f('defaultBackend', 'IngressBackend'), 2: rep('tls', 'IngressTLS'), 3: rep('rules', 'IngressRule'), 4: f('ingressClassName', 'string') },
  IngressBackend: { 4: f('service', 'IngressServiceBackend') },
  IngressServiceBackend: { 1: f('name', 'string'), 2: f('port', 'ServiceBackendPort') },
  ServiceBackendPort: { 1: f('name', 'string'), 2: f('number', 'int') },
  IngressTLS: { 1: rep('hosts', 'string'), 2: f('secretName', 'string') },
  IngressRule: { 1: f('host', 'string'), 2: f('ingressRuleValue', 'IngressRuleValue', { inline: true }) },
  IngressRuleValue: { 1: f('http', 'HTTPIngressRuleValue') },
  HTTPIngressRuleValue: { 1: rep('paths', 'HTTPIngressPath') },
  HTTPIngressPath: { 1: f('path', 'string'), 2: f('backend', 'IngressBackend'), 3: f('pathType', 'string') },
  IngressStatus: {},

  ServiceAccount: { 1: f('metadata', 'ObjectMeta'), 2: rep('secrets', 'ObjectReference'), 3: rep('imagePullSecrets', 'LocalObjectReference'), 4: f('automountServiceAccountToken', 'bool', { keepZero: true }) },
  ObjectReference: { 1: f('kind', 'string'), 2: f('namespace', 'string'), 3: f('name', 'string'), 4: f('uid', 'string'), 5: f('apiVersion', 'string'), 6: f('resourceVersion', 'string'), 7: f('fieldPath', 'string') },
  // authentication.k8s.io/v1 (kubectl create token)
  TokenRequest: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'TokenRequestSpec'), 3: f('status', 'TokenRequestStatus') },
  TokenRequestSpec: { 1: rep('audiences', 'string'), 3: f('boundObjectRef', 'BoundObjectReference'), 4: f('expirationSeconds', 'int', { keepZero: true }) },
  BoundObjectReference: { 1: f('kind', 'string'), 2: f('apiVersion', 'string'), 3: f('name', 'string'), 4: f('uid', 'string') },
  TokenRequestStatus: { 1: f('token', 'string'), 2: f('expirationTimestamp', 'time') },

  ...POD_MESSAGES,
  ...BATCH_AND_REVIEW_MESSAGES,
  ...AUTOSCALING_MESSAGES,
  DeleteOptions: { 1: f('gracePeriodSeconds', 'int', { keepZero: true }), 2: f('preconditions', 'Preconditions'), 3: f('orphanDependents', 'bool', { keepZero: true }), 4: f('propagationPolicy', 'string'), 5: rep('dryRun', 'string') },
  Preconditions: { 1: f('uid', 'string'), 2: f('resourceVersion', 'string') },
};

/** The top-level message for a kind sent in a protobuf body. */
export const KIND_MESSAGES = new Set([
  'Deployment', 'Service', 'ConfigMap', 'Secret', 'Namespace', 'Ingress', 'ServiceAccount', 'TokenRequest', 'DeleteOptions',
  'Job', 'CronJob', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SelfSubjectReview', 'HorizontalPodAutoscaler',
]);

/** The message a top-level object is read with: `<apiVersion>:<kind>` where versions name theirs alike, else the kind. */
export function rootMessage(apiVersion: string | undefined, kind: string): string {
  const versioned = `${apiVersion ?? ''}:${kind}`;
  return MESSAGES[versioned] ? versioned : kind;
}
