// Controllers that keep one object in every namespace, as kube-controller-manager's
// serviceaccounts controller (ServiceAccount `default`) and root-ca-cert-publisher (ConfigMap
// `kube-root-ca.crt`) do. Level-triggered from the store: every active namespace is looked at
// when the controller starts, when the namespace appears, and when its object is changed or
// deleted; a missing object is created, a changed one repaired when the spec says how. They run
// in the API server beside the garbage collector, so the objects exist before the first pod of a
// namespace is admitted; they write through the API server's own create/update pipeline (the
// `writer`), never into the store directly. A namespace being deleted is left alone.
import type { ResourceType } from '../api/resources.ts';
import { isNotFound, isConflict, isAlreadyExists } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { keyFor, prefixFor, type Store, type StoreEvent } from '../store/index.ts';

export interface PerNamespaceObject {
  r: ResourceType;
  /** the object's name in every namespace */
  name: string;
  /** the object the namespace should hold */
  desired(namespace: string): KubeObject;
  /** the existing object written back corrected, or undefined when it is as it should be */
  repair?(existing: KubeObject, desired: KubeObject): KubeObject | undefined;
}

/** How the controller writes: the API server's handlers (defaulting, validation, watch events). */
export interface ObjectWriter {
  create(r: ResourceType, obj: KubeObject): void;
  update(r: ResourceType, obj: KubeObject): void;
}

const NAMESPACES = { group: '', plural: 'namespaces', namespaced: false };
const BATCH = 500;

export class NamespaceObjectsController {
  private readonly queue = new Set<string>();
  private unwatch: (() => void)[] = [];
  private timer?: NodeJS.Immediate;
  private idleWaiters: (() => void)[] = [];
  private readonly store: Store;
  private readonly spec: PerNamespaceObject;
  private readonly writer: ObjectWriter;
  private readonly onError: (e: unknown) => void;

  constructor(store: Store, spec: PerNamespaceObject, writer: ObjectWriter, onError: (e: unknown) => void = (e) => console.error(`${spec.r.plural}/${spec.name} controller:`, e)) {
    this.store = store;
    this.spec = spec;
    this.writer = writer;
    this.onError = onError;
  }

  start(): void {
    if (this.unwatch.length) return;
    const { items, revision } = this.store.list(prefixFor(NAMESPACES));
    for (const ns of items) this.queue.add(ns.metadata.name!);
    const objects = prefixFor(this.spec.r);
    this.unwatch = [
      this.store.watch(prefixFor(NAMESPACES), revision, (ev) => this.onEvent(ev, ev.object.metadata.name!)),
      this.store.watch(objects, revision, (ev) => {
        if (ev.object.metadata.name === this.spec.name) this.onEvent(ev, ev.object.metadata.namespace!);
      }),
    ];
    this.schedule();
  }

  stop(): void {
    for (const u of this.unwatch) u();
    this.unwatch = [];
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.queue.clear();
    this.wakeIdle();
  }

  /** Resolves once no namespace is waiting to be looked at. */
  whenIdle(): Promise<void> {
    if (this.queue.size === 0 && !this.timer) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private onEvent(_ev: StoreEvent, namespace: string): void {
    this.queue.add(namespace);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || !this.unwatch.length) return;
    if (this.queue.size === 0) return this.wakeIdle();
    this.timer = setImmediate(() => {
      this.timer = undefined;
      let n = 0;
      for (const ns of this.queue) {
        if (n++ >= BATCH || !this.unwatch.length) break;
        this.queue.delete(ns);
        this.reconcile(ns);
      }
      this.schedule();
    });
  }

  /** Safe to repeat: looks at the namespace and its object as they are now. */
  reconcile(namespace: string): void {
    const ns = this.store.get(keyFor(NAMESPACES, undefined, namespace));
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const existing = this.store.get(keyFor(this.spec.r, namespace, this.spec.name));
    const desired = this.spec.desired(namespace);
    try {
      if (!existing) this.writer.create(this.spec.r, desired);
      else {
        const fixed = this.spec.repair?.(existing, desired);
        if (fixed) this.writer.update(this.spec.r, fixed);
      }
    } catch (e) {
      // raced with a user (already made, changed) or the namespace going away: the watch brings it back
      if (isAlreadyExists(e) || isConflict(e) || isNotFound(e)) return;
      this.onError(e);
    }
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
