// The garbage collector: Kubernetes' background cascading deletion. It watches every object in
// the store, keeps an index owner uid -> dependent keys (from metadata.ownerReferences), and
// when an object's owners are all gone it deletes that object too, which cascades further
// (Deployment -> ReplicaSet -> Pod). An object with at least one living owner stays; an object
// without ownerReferences is never touched. Deletions run outside the watch callback, in
// batches on setImmediate, each re-checked against the current state and conditioned on the
// object's revision, so a concurrent update (e.g. orphaning, which strips ownerReferences)
// wins over the collector.
import type { KubeObject } from '../api/types.ts';
import { StoreError, type Store, type StoreEvent } from '../store/index.ts';

export interface GarbageCollectorOptions {
  /** Where failures of background deletes go (default: console.error). */
  onError?: (e: unknown) => void;
  /**
   * How a dependent is deleted. Default: store.delete(key, revision). The API server may pass
   * its own delete (finalizers, releasing a Service's IP) so a cascade behaves like a user delete.
   * Must throw StoreError NotFound/Conflict as the store does, or succeed.
   */
  deleteObject?: (key: string, obj: KubeObject) => void;
}

interface Entry {
  uid?: string;
  owners: string[]; // owner uids
}

const BATCH = 500; // deletions per turn of the event loop

export class GarbageCollector {
  private readonly store: Store;
  private readonly onError: (e: unknown) => void;
  private readonly deleteObject: (key: string, obj: KubeObject) => void;
  private readonly entries = new Map<string, Entry>();
  private readonly uidToKey = new Map<string, string>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly queue = new Set<string>(); // keys whose owners may all be gone
  private unwatch?: () => void;
  private timer?: NodeJS.Immediate;
  private idleWaiters: (() => void)[] = [];

  constructor(store: Store, opts: GarbageCollectorOptions = {}) {
    this.store = store;
    this.onError = opts.onError ?? ((e) => console.error('garbage collector:', e));
    this.deleteObject = opts.deleteObject ?? ((key, obj) => void store.delete(key, Number(obj.metadata.resourceVersion)));
  }

  /** Lists the store, builds the owner index, then follows every change from that revision. */
  start(): void {
    if (this.unwatch) return;
    const { entries, revision } = this.store.listEntries('/');
    for (const [key, obj] of entries) this.index(key, obj);
    // Dependents whose owners vanished while no collector ran.
    for (const [key, e] of this.entries) if (e.owners.length > 0 && this.ownersGone(e)) this.queue.add(key);
    this.unwatch = this.store.watch('/', revision, (ev) => this.onEvent(ev));
    this.schedule();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.queue.clear();
    this.entries.clear();
    this.uidToKey.clear();
    this.dependents.clear();
    this.wakeIdle();
  }

  /** Keys of the objects whose ownerReferences name uid, sorted. */
  dependentsOf(uid: string): string[] {
    return [...(this.dependents.get(uid) ?? [])].sort();
  }

  /** Resolves once no deletion is queued (tests, and callers that want the cascade done). */
  whenIdle(): Promise<void> {
    if (this.queue.size === 0 && !this.timer) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.type === 'DELETED') {
      const e = this.entries.get(ev.key);
      this.unindex(ev.key);
      const uid = e?.uid;
      if (uid) for (const dep of this.dependents.get(uid) ?? []) this.queue.add(dep);
    } else {
      this.index(ev.key, ev.object);
      const e = this.entries.get(ev.key)!;
      if (e.owners.length > 0 && this.ownersGone(e)) this.queue.add(ev.key);
    }
    this.schedule();
  }

  private index(key: string, obj: KubeObject): void {
    this.unindex(key);
    const uid = obj.metadata.uid;
    const owners = [...new Set((obj.metadata.ownerReferences ?? []).map((r) => r.uid).filter((u): u is string => !!u))];
    this.entries.set(key, { uid, owners });
    if (uid) this.uidToKey.set(uid, key);
    for (const o of owners) {
      let set = this.dependents.get(o);
      if (!set) this.dependents.set(o, (set = new Set()));
      set.add(key);
    }
  }

  private unindex(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    if (e.uid && this.uidToKey.get(e.uid) === key) this.uidToKey.delete(e.uid);
    for (const o of e.owners) {
      const set = this.dependents.get(o);
      if (!set) continue;
      set.delete(key);
      if (set.size === 0) this.dependents.delete(o);
    }
  }

  private ownersGone(e: Entry): boolean {
    return e.owners.every((o) => !this.uidToKey.has(o));
  }

  private schedule(): void {
    if (this.timer || !this.unwatch) return;
    if (this.queue.size === 0) {
      this.wakeIdle();
      return;
    }
    this.timer = setImmediate(() => {
      this.timer = undefined;
      this.work();
      this.schedule();
    });
  }

  private work(): void {
    let n = 0;
    for (const key of this.queue) {
      if (n++ >= BATCH || !this.unwatch) break;
      this.queue.delete(key);
      const e = this.entries.get(key);
      if (!e || e.owners.length === 0 || !this.ownersGone(e)) continue;
      const obj = this.store.get(key);
      if (!obj) continue;
      try {
        this.deleteObject(key, obj);
      } catch (err) {
        if (err instanceof StoreError && err.code === 'NotFound') continue;
        if (err instanceof StoreError && err.code === 'Conflict') {
          this.queue.add(key); // changed under us: look again with the new state
          continue;
        }
        this.onError(err);
      }
    }
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
