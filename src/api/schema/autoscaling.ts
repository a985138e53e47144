// Schemas of HorizontalPodAutoscaler: autoscaling/v2 (how it is stored) and autoscaling/v1
// (what kubectl 1.27–1.32 `autoscale` writes).
import { labelSelector, topLevel } from './meta.ts';
import { arr, i32, i64, obj, quantity, str, time } from './types.ts';

const V2 = 'io.k8s.api.autoscaling.v2.';
const V1 = 'io.k8s.api.autoscaling.v1.';

const crossVersionRef = (p: string) => obj(p + 'CrossVersionObjectReference', { kind: str, name: str, apiVersion: str }, ['kind', 'name']);
const metricIdentifier = obj(V2 + 'MetricIdentifier', { name: str, selector: labelSelector }, ['name']);
const metricTarget = obj(V2 + 'MetricTarget', { type: str, value: quantity, averageValue: quantity, averageUtilization: i32 }, ['type']);
const metricValueStatus = obj(V2 + 'MetricValueStatus', { value: quantity, averageValue: quantity, averageUtilization: i32 });

const metricSpec = obj(V2 + 'MetricSpec', {
  type: str,
  object: obj(V2 + 'ObjectMetricSource', { describedObject: crossVersionRef(V2), target: metricTarget, metric: metricIdentifier }, ['describedObject', 'target', 'metric']),
  pods: obj(V2 + 'PodsMetricSource', { metric: metricIdentifier, target: metricTarget }, ['metric', 'target']),
  resource: obj(V2 + 'ResourceMetricSource', { name: str, target: metricTarget }, ['name', 'target']),
  containerResource: obj(V2 + 'ContainerResourceMetricSource', { name: str, target: metricTarget, container: str }, ['name', 'target', 'container']),
  external: obj(V2 + 'ExternalMetricSource', { metric: metricIdentifier, target: metricTarget }, ['metric', 'target']),
}, ['type']);

const metricStatus = obj(V2 + 'MetricStatus', {
  type: str,
  object: obj(V2 + 'ObjectMetricStatus', { metric: metricIdentifier, current: metricValueStatus, describedObject: crossVersionRef(V2) }),
  pods: obj(V2 + 'PodsMetricStatus', { metric: metricIdentifier, current: metricValueStatus }),
  resource: obj(V2 + 'ResourceMetricStatus', { name: str, current: metricValueStatus }),
  containerResource: obj(V2 + 'ContainerResourceMetricStatus', { name: str, current: metricValueStatus, container: str }),
  external: obj(V2 + 'ExternalMetricStatus', { metric: metricIdentifier, current: metricValueStatus }),
}, ['type']);

const scalingRules = obj(V2 + 'HPAScalingRules', {
  stabilizationWindowSeconds: i32,
  selectPolicy: str,
  policies: arr(obj(V2 + 'HPAScalingPolicy', { type: str, value: i32, periodSeconds: i32 }, ['type', 'value', 'periodSeconds'])),
  tolerance: quantity,
});

export const horizontalPodAutoscalerV2 = topLevel(V2 + 'HorizontalPodAutoscaler', {
  spec: obj(V2 + 'HorizontalPodAutoscalerSpec', {
    scaleTargetRef: crossVersionRef(V2),
    minReplicas: i32,
    maxReplicas: i32,
    metrics: arr(metricSpec),
    behavior: obj(V2 + 'HorizontalPodAutoscalerBehavior', { scaleUp: scalingRules, scaleDown: scalingRules }),
  }, ['scaleTargetRef', 'maxReplicas']),
  status: obj(V2 + 'HorizontalPodAutoscalerStatus', {
    observedGeneration: i64,
    lastScaleTime: time,
    currentReplicas: i32,
    desiredReplicas: i32,
    currentMetrics: arr(metricStatus),
    conditions: arr(obj(V2 + 'HorizontalPodAutoscalerCondition', { type: str, status: str, lastTransitionTime: time, reason: str, message: str }, ['type', 'status'])),
  }),
});

export const horizontalPodAutoscalerV1 = topLevel(V1 + 'HorizontalPodAutoscaler', {
  spec: obj(V1 + 'HorizontalPodAutoscalerSpec', {
    scaleTargetRef: crossVersionRef(V1),
    minReplicas: i32,
    maxReplicas: i32,
    targetCPUUtilizationPercentage: i32,
  }, ['scaleTargetRef', 'maxReplicas']),
  status: obj(V1 + 'HorizontalPodAutoscalerStatus', {
    observedGeneration: i64,
    lastScaleTime: time,
    currentReplicas: i32,
    desiredReplicas: i32,
    currentCPUUtilizationPercentage: i32,
  }),
});
