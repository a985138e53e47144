// The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler), without a metrics API:
// every 15 s it reads the target's scale subresource and keeps the replica count within
// minReplicas..maxReplicas (a target scaled to zero is left alone), and says in the conditions
// and events what kube-controller-manager says when the metrics API is missing: the replica
// count cannot be computed from metrics, so within the bounds nothing is scaled. kubectl get hpa
// then shows `cpu: <unknown>/80%`, as on a cluster without metrics-server.
import type { KubeObject } from '../api/types.ts';
import { groupVersion, kindsNamed, R, type ResourceType } from '../api/resources.ts';
import { qualified } from '../api/status.ts';
import { objectKey, type Informer } from '../client/informer.ts';
import { rfc3339 } from './clock.ts';
import { canonicalJson } from './hash.ts';
import { WorkQueue } from './queue.ts';
import { type ControllerContext, reconcileQueue, updateStatus } from './types.ts';

const COMPONENT = 'horizontal-pod-autoscaler';
export const SYNC_PERIOD_MS = 15_000;

interface Condition { type: string; status: string; lastTransitionTime: string; reason: string; message: string }

const NO_RESOURCE_METRICS = 'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
const NO_CUSTOM_METRICS = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
const NO_EXTERNAL_METRICS = 'unable to fetch metrics from external metrics API: the server could not find the requested resource (get external.metrics.k8s.io)';

/** What reading one metric fails with, as the controller words it: [condition reason, error]. */
export function metricError(m: Record<string, any>): [string, string] {
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = m.resource ?? m.containerResource ?? {};
      const what = src.target?.type === 'Utilization' || src.target?.averageUtilization !== undefined ? 'utilization' : 'usage';
      const reason = m.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
      return [reason, `failed to get ${src.name} ${what}: unable to get metrics for resource ${src.name}: ${NO_RESOURCE_METRICS}`];
    }
    case 'Pods': return ['FailedGetPodsMetric', `unable to get metric ${m.pods?.metric?.name}: ${NO_CUSTOM_METRICS}`];
    case 'Object': return ['FailedGetObjectMetric', `unable to get metric ${m.object?.metric?.name}: ${m.object?.describedObject?.kind}/${m.object?.describedObject?.name}: ${NO_CUSTOM_METRICS}`];
    default: return ['FailedGetExternalMetric', `unable to get external metric ${m.external?.metric?.name}: ${NO_EXTERNAL_METRICS}`];
  }
}

function setCondition(conds: Condition[], type: string, status: string, reason: string, message: string, time: string): Condition[] {
  const cur = conds.find((c) => c.type === type);
  const c = { type, status, lastTransitionTime: cur && cur.status === status ? cur.lastTransitionTime : time, reason, message };
  return cur ? conds.map((x) => (x === cur ? c : x)) : [...conds, c];
}

export class HorizontalPodAutoscalerController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly hpaInf: Informer;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.hpaInf = ctx.informers.for(R.horizontalpodautoscalers);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.hpaInf.addHandlers({ onAdd: (h) => this.queue.add(objectKey(h)), onUpdate: (h, old) => canonicalJson(h.spec) !== canonicalJson(old.spec) && this.queue.add(objectKey(h)) });
  }

  /** The scalable kind a scaleTargetRef names (apiVersion and kind), if mk serves it with a scale subresource. */
  private target(ref: { apiVersion?: string; kind?: string }): ResourceType | undefined {
    return kindsNamed(ref.kind ?? '').find((r) => r.subresources.includes('scale') && (!ref.apiVersion || groupVersion(r) === ref.apiVersion));
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const hpa = this.hpaInf.getByKey(key);
    if (!hpa || hpa.metadata.deletionTimestamp) return;
    this.queue.addAfter(key, SYNC_PERIOD_MS);
    const spec = hpa.spec ?? {};
    const ns = hpa.metadata.namespace;
    const ref = spec.scaleTargetRef ?? {};
    const time = rfc3339(this.ctx.clock.now());
    const old: Record<string, any> = hpa.status ?? {};
    let conds: Condition[] = (old.conditions ?? []).map((c: Condition) => ({ ...c }));
    const warn: [string, string][] = [];
    const status: Record<string, any> = { observedGeneration: hpa.metadata.generation ?? 1, currentReplicas: old.currentReplicas ?? 0, desiredReplicas: old.desiredReplicas ?? 0 };
    if (old.lastScaleTime) status.lastScaleTime = old.lastScaleTime;
    const r = this.target(ref);
    let scale: KubeObject | undefined;
    let failure: string | undefined;
    try {
      if (!r) throw new Error(`no matches for kind "${ref.kind}" in group "${(ref.apiVersion ?? '').split('/').slice(0, -1).join('/')}"`);
      scale = await this.ctx.client.get(r, ns, ref.name, { subresource: 'scale' });
    } catch (e) {
      failure = r && (e as { code?: number }).code === 404 ? `${qualified(r, ref.name)} not found` : (e as Error).message;
    }
    if (!scale) {
      conds = setCondition(conds, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${failure}`, time);
      warn.push(['FailedGetScale', failure!]);
      return this.write(hpa, { ...status, conditions: conds }, warn);
    }
    // reconcileAutoscaler: the current count is the target's spec.replicas
    const current: number = scale.spec?.replicas ?? 0;
    const min: number = spec.minReplicas ?? 1;
    const max: number = spec.maxReplicas ?? current;
    status.currentReplicas = current;
    conds = setCondition(conds, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", time);
    let desired: number = status.desiredReplicas; // left as it was when no metric computes one
    let reason: string | undefined;
    if (current === 0 && min !== 0) {
      desired = 0;
      conds = setCondition(conds, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', time);
    } else if (current > max || current < min) {
      desired = current > max ? max : min;
      reason = current > max ? 'Current number of replicas above Spec.MaxReplicas' : 'Current number of replicas below Spec.MinReplicas';
    } else {
      const metrics: Record<string, any>[] = spec.metrics ?? [];
      const errs = metrics.map(metricError);
      if (errs.length > 0) {
        const [why, err] = errs[0]!;
        conds = setCondition(conds, 'ScalingActive', 'False', why, `the HPA was unable to compute the replica count: ${err}`, time);
        const kind = metrics[0]!.type === 'Resource' ? `${metrics[0]!.resource?.name} resource metric value` : 'metric value';
        warn.push([why, err], ['FailedComputeMetricsReplicas', `invalid metrics (${errs.length} invalid out of ${metrics.length}), first error is: failed to get ${kind}: ${err}`]);
      }
    }
    status.desiredReplicas = desired;
    if (reason) {
      await this.ctx.client.patch(r!, ns, ref.name, { spec: { replicas: desired } }, 'merge', { subresource: 'scale' });
      status.lastScaleTime = time;
      conds = setCondition(conds, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`, time);
      void this.ctx.events.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, COMPONENT);
    }
    return this.write(hpa, { ...status, conditions: conds }, warn);
  }

  /** Writes the status when it changed; warnings are told when their condition is new, not every sync. */
  private async write(hpa: KubeObject, status: Record<string, any>, warn: [string, string][]): Promise<void> {
    const old = hpa.status ?? {};
    const told = new Set(((old.conditions ?? []) as Condition[]).map((c) => c.message));
    const strip = (s: Record<string, any>) => ({ ...s, conditions: (s.conditions ?? []).map((c: Condition) => ({ ...c, lastTransitionTime: undefined })) });
    if (canonicalJson(strip(status)) === canonicalJson(strip(old))) return;
    if (!(await updateStatus(this.ctx, R.horizontalpodautoscalers, { ...hpa, status }))) return;
    const fresh = ((status.conditions ?? []) as Condition[]).filter((c) => !told.has(c.message)).length > 0;
    if (fresh) for (const [reason, message] of warn) void this.ctx.events.event(hpa, 'Warning', reason, message, COMPONENT);
  }
}
