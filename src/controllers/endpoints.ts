// The Endpoints controller: for every Service with a selector, keeps the core/v1 Endpoints of
// the same name equal to the pods it selects (endpoints-util.ts says how: ready pods under
// addresses, unready ones under notReadyAddresses, named target ports resolved per pod).
// Services without a selector are left alone: their Endpoints are the user's. When a Service
// is seen deleted its Endpoints go too (as Kubernetes; Endpoints written before their Service
// exists are kept). Writes happen only when the subsets or
// labels differ; the last-change-trigger-time annotation rides along. Pod events reach only the
// Services of the pod's namespace whose selector matches the pod (before or after the change).
import type { KubeObject } from '../api/types.ts';
import { objectKey, splitKey, type Informer } from '../client/informer.ts';
import { GroupIndex, Written } from './endpoints-index.ts';
import { ER } from './endpoints-resources.ts';
import { deepEqual, endpointSubsets, hasSelector, managedLabels, sameLabels, serviceSelects, TriggerTimeTracker, withTriggerTime } from './endpoints-util.ts';
import { WorkQueue } from './queue.ts';
import { type ControllerContext, reconcileQueue } from './types.ts';
import { isNotFound } from '../api/status.ts';

/** The parts of a pod that can change what the endpoint controllers write. */
export function podEndpointState(pod: KubeObject): string {
  const ready = ((pod.status?.conditions ?? []) as { type: string; status?: string }[]).find((c) => c.type === 'Ready');
  return JSON.stringify([
    pod.status?.podIP, pod.status?.phase, ready?.status, pod.metadata.deletionTimestamp ?? null, pod.metadata.labels ?? {},
    pod.spec?.nodeName, pod.spec?.hostname, pod.spec?.subdomain, (pod.spec?.containers ?? []).map((c: { ports?: unknown }) => c.ports ?? null),
  ]);
}

/** Keys of the Services in pod's namespace that select it. */
export function servicesSelecting(services: GroupIndex, pod: KubeObject): string[] {
  const out: string[] = [];
  for (const svc of services.get(pod.metadata.namespace ?? '')) if (serviceSelects(svc, pod.metadata.labels)) out.push(objectKey(svc));
  return out;
}

/** Queues the Services a pod event concerns (old and new labels), skipping updates that change nothing relevant. */
export function watchPodsFor(podInf: Informer, services: GroupIndex, queue: WorkQueue): void {
  const enqueue = (pod: KubeObject) => {
    for (const k of servicesSelecting(services, pod)) queue.add(k);
  };
  podInf.addHandlers({
    onAdd: enqueue,
    onUpdate: (pod, old) => {
      if (podEndpointState(pod) === podEndpointState(old)) return;
      enqueue(pod);
      enqueue(old);
    },
    onDelete: enqueue,
  });
}

export class EndpointsController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly svcInf: Informer;
  private readonly epInf: Informer;
  private readonly services: GroupIndex;
  private readonly pods: GroupIndex;
  private readonly written = new Written();
  private readonly triggers = new TriggerTimeTracker();
  /** Services seen deleted whose Endpoints are still to be removed (Endpoints without a Service seen deleted are kept). */
  private readonly deleted = new Set<string>();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.svcInf = ctx.informers.for(ER.services);
    this.epInf = ctx.informers.for(ER.endpoints);
    const podInf = ctx.informers.for(ER.pods);
    this.queue = reconcileQueue(ctx, (k) => this.reconcile(k));
    this.services = new GroupIndex(this.svcInf, (s) => s.metadata.namespace);
    this.pods = new GroupIndex(podInf, (p) => p.metadata.namespace);
    const add = (o: KubeObject) => this.queue.add(objectKey(o));
    this.svcInf.addHandlers({
      onAdd: add,
      onUpdate: add,
      onDelete: (svc) => {
        this.deleted.add(objectKey(svc));
        add(svc);
      },
    });
    watchPodsFor(podInf, this.services, this.queue);
    // Someone else changed or deleted Endpoints we manage: put them back.
    this.epInf.addHandlers({
      onUpdate: add,
      onDelete: (ep) => {
        this.written.gone(ep);
        add(ep);
      },
    });
  }

  async reconcile(key: string): Promise<void> {
    await this.ctx.informers.waitForSync();
    const { namespace, name } = splitKey(key);
    const svc = this.svcInf.getByKey(key);
    const cur = this.written.pick(key, this.epInf.getByKey(key));
    if (!svc) {
      this.triggers.forget(key);
      if (cur && this.deleted.has(key)) await this.remove(key, cur);
      this.deleted.delete(key);
      return;
    }
    this.deleted.delete(key);
    if (!hasSelector(svc)) return;
    const selected = [...this.pods.get(namespace!)].filter((p) => serviceSelects(svc, p.metadata.labels));
    const subsets = endpointSubsets(svc, selected);
    const labels = managedLabels(svc);
    const trigger = this.triggers.compute(key, svc, selected);
    if (cur && deepEqual(cur.subsets ?? [], subsets) && sameLabels(cur.metadata.labels, labels)) return;
    const meta: KubeObject['metadata'] = cur ? { ...cur.metadata, labels } : { name, namespace, labels };
    const annotations = withTriggerTime(cur?.metadata.annotations, trigger);
    if (annotations) meta.annotations = annotations;
    else delete meta.annotations;
    const next: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: meta, subsets };
    try {
      const saved = cur ? await this.ctx.client.update(ER.endpoints, namespace, name, next) : await this.ctx.client.create(ER.endpoints, namespace, next);
      this.written.wrote(saved);
    } catch (e) {
      if (cur && isNotFound(e)) this.written.forget(key);
      throw e;
    }
  }

  private async remove(key: string, cur: KubeObject): Promise<void> {
    const { namespace, name } = splitKey(key);
    try {
      await this.ctx.client.delete(ER.endpoints, namespace, name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    this.written.deleted(key, cur);
  }
}
