// Schemas of apps/v1 Deployment and ReplicaSet.
import { labelSelector, topLevel } from './meta.ts';
import { podTemplateSpec } from './pod.ts';
import { arr, bool, i32, i64, intOrString, obj, str, time } from './types.ts';

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
