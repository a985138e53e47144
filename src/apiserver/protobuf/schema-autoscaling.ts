// Field numbers of HorizontalPodAutoscaler at autoscaling/v2 and autoscaling/v1, from k8s.io/api's
// generated.proto as kubectl 1.33 carries them: what `kubectl autoscale` sends in kubectl 1.32+
// (1.33 writes v2, falling back to v1; 1.32 writes v1). Both versions name their messages alike,
// so v1's are keyed `autoscaling/v1:<message>` and chosen by the body's apiVersion.
// `keepZero` fields are Go pointers, whose 0 is a value, not an absent field.
import type { MessageDef } from './schema.ts';

const f = (name: string, type: string, opts: { inline?: boolean; keepZero?: boolean } = {}) => ({ name, type, ...opts });
const rep = (name: string, type: string) => ({ name, type, repeated: true });

export const AUTOSCALING_MESSAGES: Record<string, MessageDef> = {
  'HorizontalPodAutoscaler': { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'HorizontalPodAutoscalerSpec'), 3: f('status', 'HorizontalPodAutoscalerStatus') },
  'HorizontalPodAutoscalerSpec': { 1: f('scaleTargetRef', 'CrossVersionObjectReference'), 2: f('minReplicas', 'int', { keepZero: true }), 3: f('maxReplicas', 'int'), 4: rep('metrics', 'MetricSpec'), 5: f('behavior', 'HorizontalPodAutoscalerBehavior') },
  'HorizontalPodAutoscalerStatus': { 1: f('observedGeneration', 'int', { keepZero: true }), 2: f('lastScaleTime', 'time'), 3: f('currentReplicas', 'int'), 4: f('desiredReplicas', 'int'), 5: rep('currentMetrics', 'MetricStatus'), 6: rep('conditions', 'HorizontalPodAutoscalerCondition') },
  'CrossVersionObjectReference': { 1: f('kind', 'string'), 2: f('name', 'string'), 3: f('apiVersion', 'string') },
  'MetricSpec': { 1: f('type', 'string'), 2: f('object', 'ObjectMetricSource'), 3: f('pods', 'PodsMetricSource'), 4: f('resource', 'ResourceMetricSource'), 5: f('external', 'ExternalMetricSource'), 7: f('containerResource', 'ContainerResourceMetricSource') },
  'HorizontalPodAutoscalerBehavior': { 1: f('scaleUp', 'HPAScalingRules'), 2: f('scaleDown', 'HPAScalingRules') },
  'MetricStatus': { 1: f('type', 'string'), 2: f('object', 'ObjectMetricStatus'), 3: f('pods', 'PodsMetricStatus'), 4: f('resource', 'ResourceMetricStatus'), 5: f('external', 'ExternalMetricStatus'), 7: f('containerResource', 'ContainerResourceMetricStatus') },
  'HorizontalPodAutoscalerCondition': { 1: f('type', 'string'), 2: f('status', 'string'), 3: f('lastTransitionTime', 'time'), 4: f('reason', 'string'), 5: f('message', 'string') },
  'ObjectMetricSource': { 1: f('describedObject', 'CrossVersionObjectReference'), 2: f('target', 'MetricTarget'), 3: f('metric', 'MetricIdentifier') },
  'PodsMetricSource': { 1: f('metric', 'MetricIdentifier'), 2: f('target', 'MetricTarget') },
  'ResourceMetricSource': { 1: f('name', 'string'), 2: f('target', 'MetricTarget') },
  'ExternalMetricSource': { 1: f('metric', 'MetricIdentifier'), 2: f('target', 'MetricTarget') },
  'ContainerResourceMetricSource': { 1: f('name', 'string'), 2: f('target', 'MetricTarget'), 3: f('container', 'string') },
  'HPAScalingRules': { 1: f('selectPolicy', 'string', { keepZero: true }), 2: rep('policies', 'HPAScalingPolicy'), 3: f('stabilizationWindowSeconds', 'int', { keepZero: true }), 4: f('tolerance', 'Quantity') },
  'ObjectMetricStatus': { 1: f('metric', 'MetricIdentifier'), 2: f('current', 'MetricValueStatus'), 3: f('describedObject', 'CrossVersionObjectReference') },
  'PodsMetricStatus': { 1: f('metric', 'MetricIdentifier'), 2: f('current', 'MetricValueStatus') },
  'ResourceMetricStatus': { 1: f('name', 'string'), 2: f('current', 'MetricValueStatus') },
  'ExternalMetricStatus': { 1: f('metric', 'MetricIdentifier'), 2: f('current', 'MetricValueStatus') },
  'ContainerResourceMetricStatus': { 1: f('name', 'string'), 2: f('current', 'MetricValueStatus'), 3: f('container', 'string') },
  'MetricTarget': { 1: f('type', 'string'), 2: f('value', 'Quantity'), 3: f('averageValue', 'Quantity'), 4: f('averageUtilization', 'int', { keepZero: true }) },
  'MetricIdentifier': { 1: f('name', 'string'), 2: f('selector', 'LabelSelector') },
  'HPAScalingPolicy': { 1: f('type', 'string'), 2: f('value', 'int'), 3: f('periodSeconds', 'int') },
  'MetricValueStatus': { 1: f('value', 'Quantity'), 2: f('averageValue', 'Quantity'), 3: f('averageUtilization', 'int', { keepZero: true }) },
  'autoscaling/v1:HorizontalPodAutoscaler': { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'autoscaling/v1:HorizontalPodAutoscalerSpec'), 3: f('status', 'autoscaling/v1:HorizontalPodAutoscalerStatus') },
  'autoscaling/v1:HorizontalPodAutoscalerSpec': { 1: f('scaleTargetRef', 'autoscaling/v1:CrossVersionObjectReference'), 2: f('minReplicas', 'int', { keepZero: true }), 3: f('maxReplicas', 'int'), 4: f('targetCPUUtilizationPercentage', 'int', { keepZero: true }) },
  'autoscaling/v1:HorizontalPodAutoscalerStatus': { 1: f('observedGeneration', 'int', { keepZero: true }), 2: f('lastScaleTime', 'time'), 3: f('currentReplicas', 'int'), 4: f('desiredReplicas', 'int'), 5: f('currentCPUUtilizationPercentage', 'int', { keepZero: true }) },
  'autoscaling/v1:CrossVersionObjectReference': { 1: f('kind', 'string'), 2: f('name', 'string'), 3: f('apiVersion', 'string') },
};
