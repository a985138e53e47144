// Lookups the endpoint controllers need without scanning every cached object: a GroupIndex
// keeps an informer's objects grouped by a key (Services and Pods by namespace, EndpointSlices
// by owning Service), updated from the informer's handlers. Written remembers the objects a
// controller itself just wrote or deleted, so that a reconcile running before the watch has
// delivered them reads its own writes (Kubernetes' EndpointSliceTracker does this for slices):
// no duplicate slices, no conflict loop on a stale resourceVersion.
import type { KubeObject } from '../api/types.ts';
import { objectKey, type Informer } from '../client/informer.ts';

export class GroupIndex {
  private readonly groups = new Map<string, Map<string, KubeObject>>();
  private readonly groupOf: (obj: KubeObject) => string | undefined;
  /** Called with each group an object enters or leaves (old and new group on a change). */
  private readonly onChange?: (group: string, obj: KubeObject) => void;

  constructor(informer: Informer, groupOf: (obj: KubeObject) => string | undefined, onChange?: (group: string, obj: KubeObject) => void) {
    this.groupOf = groupOf;
    this.onChange = onChange;
    informer.addHandlers({
      onAdd: (obj) => this.put(obj),
      onUpdate: (obj, old) => {
        this.remove(old, false);
        this.put(obj);
        const was = this.groupOf(old);
        if (was !== undefined && was !== this.groupOf(obj)) this.onChange?.(was, old);
      },
      onDelete: (obj) => this.remove(obj, true),
    });
  }

  get(group: string): Iterable<KubeObject> {
    return this.groups.get(group)?.values() ?? [];
  }

  private put(obj: KubeObject): void {
    const g = this.groupOf(obj);
    if (g === undefined) return;
    let m = this.groups.get(g);
    if (!m) this.groups.set(g, (m = new Map()));
    m.set(objectKey(obj), obj);
    this.onChange?.(g, obj);
  }

  private remove(obj: KubeObject, notify: boolean): void {
    const g = this.groupOf(obj);
    if (g === undefined) return;
    const m = this.groups.get(g);
    if (!m) return;
    m.delete(objectKey(obj));
    if (m.size === 0) this.groups.delete(g);
    if (notify) this.onChange?.(g, obj);
  }
}

function rvNumber(obj: KubeObject | undefined): bigint {
  try {
    return BigInt(obj?.metadata.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
}

/** The newest of what the cache holds and what this controller last wrote, per object key. */
export class Written {
  private readonly objs = new Map<string, { obj?: KubeObject; rv: bigint }>();

  wrote(obj: KubeObject): void {
    this.objs.set(objectKey(obj), { obj, rv: rvNumber(obj) });
  }

  /** A delete by this controller; cached copies up to rv are then ignored until the watch agrees. */
  deleted(key: string, lastRv: KubeObject | undefined): void {
    this.objs.set(key, { rv: rvNumber(lastRv) });
  }

  /** The current object for key given the cached one (undefined when gone). */
  pick(key: string, cached: KubeObject | undefined): KubeObject | undefined {
    const w = this.objs.get(key);
    if (!w) return cached;
    if (!w.obj) {
      // Deleted by us: the cache still showing the same or an older version is stale.
      if (!cached) {
        this.objs.delete(key);
        return undefined;
      }
      if (rvNumber(cached) > w.rv) {
        this.objs.delete(key);
        return cached;
      }
      return undefined;
    }
    if (cached && rvNumber(cached) >= w.rv) {
      this.objs.delete(key);
      return cached;
    }
    return w.obj;
  }

  /** Objects written by us that match and that the cache has not shown yet. */
  pending(match: (obj: KubeObject) => boolean, cachedKeys: Set<string>): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [key, w] of this.objs) if (w.obj && !cachedKeys.has(key) && match(w.obj)) out.push(w.obj);
    return out;
  }

  /** The watch has shown obj's deletion: what we wrote up to that version is gone too. */
  gone(obj: KubeObject): void {
    const key = objectKey(obj);
    const w = this.objs.get(key);
    if (w && w.rv <= rvNumber(obj)) this.objs.delete(key);
  }

  /** Forgets key whatever we wrote (e.g. a write answered 404: the object is not there). */
  forget(key: string): void {
    this.objs.delete(key);
  }
}
