// The EndpointSlice controller: for every Service with a selector, keeps the
// discovery.k8s.io/v1 EndpointSlices labelled `kubernetes.io/service-name=<svc>` and
// `endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io`, owned by the Service,
// equal to the pods it selects (endpointslice-util.ts: one slice per port set, at most 100
// endpoints each, conditions ready/serving/terminating). Slices are named `<svc>-<5 random>`.
// A Service deleted, one that lost its selector or an ExternalName one loses the slices this
// controller made. New keys are reconciled on the next tick (the queue has no delay for them).
import type { KubeObject } from '../api/types.ts';
import { objectKey, splitKey, type Informer } from '../client/informer.ts';
import { randomSuffix } from './hash.ts';
import { GroupIndex, Written } from './endpoints-index.ts';
import { applySlicePlan, ER } from './endpoints-resources.ts';
import { watchPodsFor } from './endpoints.ts';
import { hasSelector, serviceSelects, TriggerTimeTracker } from './endpoints-util.ts';
import { controllerOwner, planSlices, serviceSliceLabels, serviceSlices, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, SLICE_CONTROLLER } from './endpointslice-util.ts';
import { WorkQueue } from './queue.ts';
import { type ControllerContext, reconcileQueue } from './types.ts';

/** `namespace/service` for a slice carrying manager's label, else undefined. */
export function sliceServiceKey(slice: KubeObject, manager: string): string | undefined {
  const l = slice.metadata.labels ?? {};
  if (l[MANAGED_BY_LABEL] !== manager || !l[SERVICE_NAME_LABEL]) return undefined;
  return `${slice.metadata.namespace}/${l[SERVICE_NAME_LABEL]}`;
}

/** The slices of one Service made by manager: the cache's, overlaid with this controller's own writes. */
export function currentSlices(index: GroupIndex, written: Written, key: string, manager: string): KubeObject[] {
  const out: KubeObject[] = [];
  const seen = new Set<string>();
  for (const s of index.get(key)) {
    const k = objectKey(s);
    seen.add(k);
    const cur = written.pick(k, s);
    if (cur && sliceServiceKey(cur, manager) === key) out.push(cur);
  }
  out.push(...written.pending((s) => sliceServiceKey(s, manager) === key, seen));
  return out;
}

export class EndpointSliceController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly svcInf: Informer;
  private readonly services: GroupIndex;
  private readonly pods: GroupIndex;
  private readonly slices: GroupIndex;
  private readonly written = new Written();
  private readonly triggers = new TriggerTimeTracker();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.svcInf = ctx.informers.for(ER.services);
    const podInf = ctx.informers.for(ER.pods);
    const sliceInf = ctx.informers.for(ER.endpointslices);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.services = new GroupIndex(this.svcInf, (s) => s.metadata.namespace);
    this.pods = new GroupIndex(podInf, (p) => p.metadata.namespace);
    this.slices = new GroupIndex(sliceInf, (s) => sliceServiceKey(s, SLICE_CONTROLLER), (key) => this.queue.add(key));
    const add = (o: KubeObject) => this.queue.add(objectKey(o));
    this.svcInf.addHandlers({ onAdd: add, onUpdate: add, onDelete: add });
    sliceInf.addHandlers({ onDelete: (s) => this.written.gone(s) });
    watchPodsFor(podInf, this.services, this.queue);
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const { namespace, name } = splitKey(key);
    const svc = this.svcInf.getByKey(key);
    const existing = currentSlices(this.slices, this.written, key, SLICE_CONTROLLER);
    if (!svc || !hasSelector(svc) || svc.spec?.type === 'ExternalName') {
      if (!svc) this.triggers.forget(key);
      if (existing.length) await applySlicePlan(this.ctx.client, this.written, { create: [], update: [], remove: existing });
      return;
    }
    const selected = [...this.pods.get(namespace!)].filter((p) => serviceSelects(svc, p.metadata.labels));
    const wanted = serviceSlices(svc, selected);
    const trigger = this.triggers.compute(key, svc, selected);
    const template = { namespace: namespace!, prefix: `${name}-`, labels: serviceSliceLabels(svc), owner: controllerOwner(svc) };
    const plan = planSlices(existing, wanted, template, () => `${name}-${randomSuffix(this.ctx.random)}`, trigger);
    if (plan.create.length + plan.update.length + plan.remove.length === 0) return;
    await applySlicePlan(this.ctx.client, this.written, plan);
  }
}
