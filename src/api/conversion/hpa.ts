// HorizontalPodAutoscaler between autoscaling/v2 (how it is stored) and autoscaling/v1:
//   spec.targetCPUUtilizationPercentage ↔ a Resource metric `cpu` with an Utilization target;
//   status.currentCPUUtilizationPercentage ↔ the cpu Resource metric status' averageUtilization.
// v2's other metrics, behavior and conditions have no v1 field; they are not shown there.
// Works on partial objects (patches, applied configurations): only what is there moves.
import type { KubeObject } from '../types.ts';

type Json = Record<string, any>;

const isCpu = (m: Json) => m?.type === 'Resource' && m.resource?.name === 'cpu';

/** An autoscaling/v1 HPA as autoscaling/v2. */
export function hpaToV2(obj: Json): KubeObject {
  const out: Json = { ...obj, apiVersion: 'autoscaling/v2' };
  if (obj.spec && typeof obj.spec === 'object') {
    const { targetCPUUtilizationPercentage, ...spec } = obj.spec;
    if (targetCPUUtilizationPercentage !== undefined && targetCPUUtilizationPercentage !== null) {
      spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage } } }];
    }
    out.spec = spec;
  }
  if (obj.status && typeof obj.status === 'object') {
    const { currentCPUUtilizationPercentage, ...status } = obj.status;
    if (currentCPUUtilizationPercentage !== undefined && currentCPUUtilizationPercentage !== null) {
      status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCPUUtilizationPercentage } } }];
    }
    out.status = status;
  }
  return out as KubeObject;
}

/** A stored autoscaling/v2 HPA as autoscaling/v1. */
export function hpaToV1(obj: Json): KubeObject {
  const out: Json = { ...obj, apiVersion: 'autoscaling/v1' };
  if (obj.spec && typeof obj.spec === 'object') {
    const { metrics, behavior: _behavior, ...spec } = obj.spec;
    const cpu = (Array.isArray(metrics) ? metrics : []).find(isCpu);
    const target = cpu?.resource?.target?.averageUtilization;
    if (typeof target === 'number') spec.targetCPUUtilizationPercentage = target;
    out.spec = spec;
  }
  if (obj.status && typeof obj.status === 'object') {
    const { currentMetrics, conditions: _conditions, ...status } = obj.status;
    const cpu = (Array.isArray(currentMetrics) ? currentMetrics : []).find(isCpu);
    const current = cpu?.resource?.current?.averageUtilization;
    if (typeof current === 'number') status.currentCPUUtilizationPercentage = current;
    status.currentReplicas ??= 0;
    out.status = status;
  }
  return out as KubeObject;
}
