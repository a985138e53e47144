// Kubernetes' defaulting of the workload kinds beyond Deployment and ReplicaSet (apps/v1 and
// batch/v1 defaults.go, autoscaling/v2 defaults.go): StatefulSet, DaemonSet, Job, CronJob and
// HorizontalPodAutoscaler, with their pod templates and claim templates.
import type { KubeObject } from '../types.ts';
import { defaultPodTemplate } from './pod.ts';
import { defaultPersistentVolumeClaim } from './storage.ts';

type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function spec(obj: KubeObject): Obj {
  if (!isObj(obj.spec)) obj.spec = {};
  return obj.spec;
}

export function defaultStatefulSet(obj: KubeObject): void {
  const s = spec(obj);
  s.replicas ??= 1;
  s.podManagementPolicy ??= 'OrderedReady';
  if (!isObj(s.updateStrategy)) s.updateStrategy = {};
  // a rollingUpdate is made only with the type defaulted; one given gets its partition
  if (!s.updateStrategy.type) {
    s.updateStrategy.type = 'RollingUpdate';
    if (!isObj(s.updateStrategy.rollingUpdate)) s.updateStrategy.rollingUpdate = {};
  }
  if (s.updateStrategy.type === 'RollingUpdate' && isObj(s.updateStrategy.rollingUpdate)) s.updateStrategy.rollingUpdate.partition ??= 0;
  s.revisionHistoryLimit ??= 10;
  if (!isObj(s.persistentVolumeClaimRetentionPolicy)) s.persistentVolumeClaimRetentionPolicy = {};
  s.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  s.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  if (Array.isArray(s.volumeClaimTemplates)) for (const c of s.volumeClaimTemplates) if (isObj(c)) defaultPersistentVolumeClaim(c as KubeObject);
  defaultPodTemplate(s.template);
}

export function defaultDaemonSet(obj: KubeObject): void {
  const s = spec(obj);
  if (!isObj(s.updateStrategy)) s.updateStrategy = {};
  s.updateStrategy.type ??= 'RollingUpdate';
  if (s.updateStrategy.type === 'RollingUpdate') {
    if (!isObj(s.updateStrategy.rollingUpdate)) s.updateStrategy.rollingUpdate = {};
    s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    s.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  defaultPodTemplate(s.template);
}

export function defaultJobSpec(s: Obj, topLevel: boolean): void {
  if (topLevel) {
    if (s.completions == null && s.parallelism == null) {
      s.completions = 1;
      s.parallelism = 1;
    }
    s.parallelism ??= 1;
    s.backoffLimit ??= s.backoffLimitPerIndex != null ? 2147483647 : 6;
    s.completionMode ??= 'NonIndexed';
    s.suspend ??= false;
    s.podReplacementPolicy ??= isObj(s.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  }
  if (isObj(s.podFailurePolicy) && Array.isArray(s.podFailurePolicy.rules)) {
    for (const r of s.podFailurePolicy.rules) {
      if (isObj(r) && Array.isArray(r.onPodConditions)) for (const p of r.onPodConditions) if (isObj(p)) p.status ??= 'True';
    }
  }
  defaultPodTemplate(s.template);
}

/** A Job without labels takes its pod template's (the generated job-name and controller-uid ones included). */
export function defaultJob(obj: KubeObject): void {
  const s = spec(obj);
  defaultJobSpec(s, true);
  const labels = isObj(s.template) && isObj(s.template.metadata) ? s.template.metadata.labels : undefined;
  if (isObj(labels) && Object.keys(labels).length > 0 && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels };
}

export function defaultCronJob(obj: KubeObject): void {
  const s = spec(obj);
  s.concurrencyPolicy ??= 'Allow';
  s.suspend ??= false;
  s.successfulJobsHistoryLimit ??= 3;
  s.failedJobsHistoryLimit ??= 1;
  if (isObj(s.jobTemplate) && isObj(s.jobTemplate.spec)) defaultJobSpec(s.jobTemplate.spec, false);
}

function scalingRules(r: unknown, up: boolean): Obj {
  const out: Obj = isObj(r) ? r : {};
  if (up) {
    out.stabilizationWindowSeconds ??= 0;
    out.policies ??= [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }];
  } else {
    out.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  }
  out.selectPolicy ??= 'Max';
  return out;
}

/** autoscaling/v2: minReplicas 1, a CPU target of 80% when no metric is named, scaling rules when a behavior is. */
export function defaultHorizontalPodAutoscaler(obj: KubeObject): void {
  const s = spec(obj);
  s.minReplicas ??= 1;
  if (!Array.isArray(s.metrics) || s.metrics.length === 0) {
    s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (isObj(s.behavior)) {
    s.behavior.scaleUp = scalingRules(s.behavior.scaleUp, true);
    s.behavior.scaleDown = scalingRules(s.behavior.scaleDown, false);
  }
}
