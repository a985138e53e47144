// The EndpointSlice mirroring controller: for a Service without a selector whose Endpoints the
// user wrote (seed 002's external-service: 11.11.11.11, 22.22.22.22), keeps EndpointSlices that
// mirror them, labelled `endpointslice.kubernetes.io/managed-by=endpointslicemirroring-controller.k8s.io`
// and owned by the Endpoints, so readers of slices (kubectl 1.31+ `describe svc`, the proxy)
// see the same endpoints. Endpoints labelled `endpointslice.kubernetes.io/skip-mirror=true`
// (the API server's own `kubernetes`) are not mirrored; a Service that gains a selector, or
// Endpoints or a Service that go away, lose the mirrored slices.
import type { KubeObject } from '../api/types.ts';
import { objectKey, splitKey, type Informer } from '../client/informer.ts';
import { randomSuffix } from './hash.ts';
import { GroupIndex, Written } from './endpoints-index.ts';
import { applySlicePlan, ER } from './endpoints-resources.ts';
import { hasSelector, TRIGGER_TIME_ANNOTATION } from './endpoints-util.ts';
import { currentSlices, sliceServiceKey } from './endpointslice.ts';
import { controllerOwner, mirroredSlices, mirrorSliceLabels, planSlices, MIRROR_CONTROLLER, SKIP_MIRROR_LABEL } from './endpointslice-util.ts';
import { WorkQueue } from './queue.ts';
import { type ControllerContext, reconcileQueue } from './types.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Whether Endpoints ep of Service svc are mirrored into slices. */
export function shouldMirror(ep: KubeObject | undefined, svc: KubeObject | undefined): ep is KubeObject {
  return !!ep && !!svc && !hasSelector(svc) && ep.metadata.labels?.[SKIP_MIRROR_LABEL] !== 'true';
}

/** The Endpoints' annotations a mirrored slice carries (not the trigger time, not kubectl's last-applied copy). */
export function mirroredAnnotations(ep: KubeObject): Record<string, string> {
  const a = { ...(ep.metadata.annotations ?? {}) };
  delete a[TRIGGER_TIME_ANNOTATION];
  delete a[LAST_APPLIED];
  return a;
}

export class EndpointSliceMirroringController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly svcInf: Informer;
  private readonly epInf: Informer;
  private readonly slices: GroupIndex;
  private readonly written = new Written();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.svcInf = ctx.informers.for(ER.services);
    this.epInf = ctx.informers.for(ER.endpoints);
    const sliceInf = ctx.informers.for(ER.endpointslices);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.slices = new GroupIndex(sliceInf, (s) => sliceServiceKey(s, MIRROR_CONTROLLER), (key) => this.queue.add(key));
    const add = (o: KubeObject) => this.queue.add(objectKey(o));
    this.svcInf.addHandlers({ onAdd: add, onUpdate: add, onDelete: add });
    this.epInf.addHandlers({ onAdd: add, onUpdate: add, onDelete: add });
    sliceInf.addHandlers({ onDelete: (s) => this.written.gone(s) });
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const { namespace, name } = splitKey(key);
    const ep = this.epInf.getByKey(key);
    const existing = currentSlices(this.slices, this.written, key, MIRROR_CONTROLLER);
    if (!shouldMirror(ep, this.svcInf.getByKey(key))) {
      if (existing.length) await applySlicePlan(this.ctx.client, this.written, { create: [], update: [], remove: existing });
      return;
    }
    const annotations = mirroredAnnotations(ep);
    const template = {
      namespace: namespace!,
      prefix: `${name}-`,
      labels: mirrorSliceLabels(ep),
      annotations: Object.keys(annotations).length ? annotations : undefined,
      owner: controllerOwner({ ...ep, apiVersion: 'v1', kind: 'Endpoints' }),
    };
    const plan = planSlices(existing, mirroredSlices(ep), template, () => `${name}-${randomSuffix(this.ctx.random)}`, 0);
    if (plan.create.length + plan.update.length + plan.remove.length === 0) return;
    await applySlicePlan(this.ctx.client, this.written, plan);
  }
}
