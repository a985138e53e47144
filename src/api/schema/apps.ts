// Schemas of apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet and ControllerRevision.
import { labelSelector, topLevel } from './meta.ts';
import { podTemplateSpec } from './pod.ts';
import { persistentVolumeClaim } from './storage.ts';
import { any, arr, bool, i32, i64, intOrString, obj, str, time } from './types.ts';

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

const rollingUpdateStatefulSet = obj(APPS + 'RollingUpdateStatefulSetStrategy', { partition: i32, maxUnavailable: intOrString });

export const statefulSet = topLevel(APPS + 'StatefulSet', {
  spec: obj(
    APPS + 'StatefulSetSpec',
    {
      replicas: i32,
      selector: labelSelector,
      template: podTemplateSpec,
      volumeClaimTemplates: arr(persistentVolumeClaim),
      serviceName: str,
      podManagementPolicy: str,
      updateStrategy: obj(APPS + 'StatefulSetUpdateStrategy', { type: str, rollingUpdate: rollingUpdateStatefulSet }),
      revisionHistoryLimit: i32,
      minReadySeconds: i32,
      persistentVolumeClaimRetentionPolicy: obj(APPS + 'StatefulSetPersistentVolumeClaimRetentionPolicy', { whenDeleted: str, whenScaled: str }),
      ordinals: obj(APPS + 'StatefulSetOrdinals', { start: i32 }),
    },
    ['selector', 'template'],
  ),
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
