// Schemas of apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet and ControllerRevision.
import { labelSelector, topLevel } from './meta.ts';
import { podTemplateSpec } from './pod.ts';
import { persistentVolumeClaim } from './storage.ts';
import { any, arr, bool, i32, i64, intOrString, obj, str, time, type ObjectSchema } from './types.ts';

const APPS = 'io.k8s.api.apps.v1.';

export const deployment = topLevel(APPS + 'Deployment', {
  spec: obj(
    APPS + 'DeploymentSpec',
    {
      replicas: i32,
      selector: labelSelector,
      template: podTemplateSpec,
      strategy: obj(APPS + 'DeploymentStrategy', {
        type: str,
        rollingUpdate: obj(APPS + 'RollingUpdateDeployment', { maxUnavailable: intOrString, maxSurge: intOrString }),
      }),
      minReadySeconds: i32,
      revisionHistoryLimit: i32,
      paused: bool,
      progressDeadlineSeconds: i32,
    },
    ['selector', 'template'],
  ),
  status: obj(APPS + 'DeploymentStatus', {
    observedGeneration: i64,
    replicas: i32,
    updatedReplicas: i32,
    readyReplicas: i32,
    availableReplicas: i32,
    unavailableReplicas: i32,
    terminatingReplicas: i32,
    conditions: arr(
      obj(APPS + 'DeploymentCondition', { type: str, status: str, lastUpdateTime: time, lastTransitionTime: time, reason: str, message: str }, [
        'type',
        'status',
      ]),
    ),
    collisionCount: i32,
  }),
});

export const replicaSet = topLevel(APPS + 'ReplicaSet', {
  spec: obj(APPS + 'ReplicaSetSpec', { replicas: i32, minReadySeconds: i32, selector: labelSelector, template: podTemplateSpec }, ['selector']),
  status: obj(APPS + 'ReplicaSetStatus', {
    replicas: i32,
    fullyLabeledReplicas: i32,
    readyReplicas: i32,
    availableReplicas: i32,
    terminatingReplicas: i32,
    observedGeneration: i64,
    conditions: arr(
      obj(APPS + 'ReplicaSetCondition', { type: str, status: str, lastTransitionTime: time, reason: str, message: str }, ['type', 'status']),
    ),
  }),
});

/** An object schema with its OpenAPI description (what `kubectl explain` prints). */
function described(doc: string, o: ObjectSchema): ObjectSchema {
  return { ...o, doc };
}

const rollingUpdateStatefulSet = obj(APPS + 'RollingUpdateStatefulSetStrategy', { partition: i32, maxUnavailable: intOrString });

export const statefulSet = topLevel(APPS + 'StatefulSet', {
  spec: described('A StatefulSetSpec is the specification of a StatefulSet.', obj(
    APPS + 'StatefulSetSpec',
    {
      replicas: { ...i32, doc: 'replicas is the desired number of replicas of the given Template. These are replicas in the sense that they are instantiations of the same Template, but individual replicas also have a consistent identity. If unspecified, defaults to 1.' },
      selector: labelSelector,
      template: podTemplateSpec,
      volumeClaimTemplates: {
        ...arr(persistentVolumeClaim),
        doc: 'volumeClaimTemplates is a list of claims that pods are allowed to reference. The StatefulSet controller is responsible for mapping network identities to claims in a way that maintains the identity of a pod. Every claim in this list must have at least one matching (by name) volumeMount in one container in the template. A claim in this list takes precedence over any volumes in the template, with the same name.',
      },
      serviceName: {
        ...str,
        doc: 'serviceName is the name of the service that governs this StatefulSet. This service must exist before the StatefulSet, and is responsible for the network identity of the set. Pods get DNS/hostnames that follow the pattern: pod-specific-string.serviceName.default.svc.cluster.local where "pod-specific-string" is managed by the StatefulSet controller.',
      },
      podManagementPolicy: {
        ...str,
        doc: 'podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down. The default policy is `OrderedReady`, where pods are created in increasing order (pod-0, then pod-1, etc) and the controller will wait until each pod is ready before continuing. When scaling down, the pods are removed in the opposite order. The alternative policy is `Parallel` which will create pods in parallel to match the desired scale without waiting, and on scale down will delete all pods at once.',
      },
      updateStrategy: obj(APPS + 'StatefulSetUpdateStrategy', { type: str, rollingUpdate: rollingUpdateStatefulSet }),
      revisionHistoryLimit: {
        ...i32,
        doc: "revisionHistoryLimit is the maximum number of revisions that will be maintained in the StatefulSet's revision history. The revision history consists of all revisions not represented by a currently applied StatefulSetSpec version. The default value is 10.",
      },
      minReadySeconds: {
        ...i32,
        doc: 'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)',
      },
      persistentVolumeClaimRetentionPolicy: obj(APPS + 'StatefulSetPersistentVolumeClaimRetentionPolicy', { whenDeleted: str, whenScaled: str }),
      ordinals: obj(APPS + 'StatefulSetOrdinals', { start: i32 }),
    },
    ['selector', 'template'],
  )),
  status: obj(APPS + 'StatefulSetStatus', {
    observedGeneration: i64,
    replicas: i32,
    readyReplicas: i32,
    currentReplicas: i32,
    updatedReplicas: i32,
    currentRevision: str,
    updateRevision: str,
    collisionCount: i32,
    conditions: arr(obj(APPS + 'StatefulSetCondition', { type: str, status: str, lastTransitionTime: time, reason: str, message: str }, ['type', 'status'])),
    availableReplicas: i32,
  }),
});

export const daemonSet = topLevel(APPS + 'DaemonSet', {
  spec: obj(
    APPS + 'DaemonSetSpec',
    {
      selector: labelSelector,
      template: podTemplateSpec,
      updateStrategy: obj(APPS + 'DaemonSetUpdateStrategy', {
        type: str,
        rollingUpdate: obj(APPS + 'RollingUpdateDaemonSet', { maxUnavailable: intOrString, maxSurge: intOrString }),
      }),
      minReadySeconds: i32,
      revisionHistoryLimit: i32,
    },
    ['selector', 'template'],
  ),
  status: obj(APPS + 'DaemonSetStatus', {
    currentNumberScheduled: i32,
    numberMisscheduled: i32,
    desiredNumberScheduled: i32,
    numberReady: i32,
    observedGeneration: i64,
    updatedNumberScheduled: i32,
    numberAvailable: i32,
    numberUnavailable: i32,
    collisionCount: i32,
    conditions: arr(obj(APPS + 'DaemonSetCondition', { type: str, status: str, lastTransitionTime: time, reason: str, message: str }, ['type', 'status'])),
  }),
});

/** ControllerRevision: `data` is a runtime.RawExtension (any JSON), `revision` an int64. */
export const controllerRevision = topLevel(APPS + 'ControllerRevision', { data: any, revision: i64 });
