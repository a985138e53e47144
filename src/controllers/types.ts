// What every controller is given: the API client (the part of KubeClient it uses), shared
// informers, the clock, an event recorder and a random source (pod name suffixes). Resource
// rows for the kinds controllers touch are resolved once here.
import type { KubeClient } from '../client/index.ts';
import type { InformerFactory } from '../client/informer.ts';
import type { Clock } from './clock.ts';
import type { EventRecorder } from './events.ts';
import { isConflict, isAlreadyExists, isNotFound } from '../api/status.ts';
import type { ResourceType } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { Informer } from '../client/informer.ts';
import { WorkQueue } from './queue.ts';

export type ControllerClient = Pick<KubeClient, 'list' | 'watch' | 'get' | 'create' | 'update' | 'patch' | 'delete'>;

export interface ControllerContext {
  client: ControllerClient;
  informers: InformerFactory;
  clock: Clock;
  events: EventRecorder;
  /** Uniform in [0, 1): the source of generated name suffixes. */
  random: () => number;
  onError: (e: unknown) => void;
}



/** The ownerReference with controller: true, if any. */
export function controllerRef(obj: { metadata: { ownerReferences?: { kind: string; uid: string; name: string; controller?: boolean }[] } }) {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

/** Reports a reconcile failure, except conflicts: a stale cache is expected, the retry fixes it. */
export function reportUnlessConflict(ctx: Pick<ControllerContext, 'onError'>, e: unknown): void {
  if (!isConflict(e) && !isAlreadyExists(e)) ctx.onError(e);
}

/** The `namespace/name` key of the object's controller when it is a `kind`, else undefined. */
export function ownerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerRef(obj);
  return ref?.kind === kind ? `${obj.metadata.namespace}/${ref.name}` : undefined;
}

/** An informer handler that queues the object's controller when it is a `kind`. */
export function enqueueOwner(queue: WorkQueue, kind: string): (obj: KubeObject) => void {
  return (obj) => {
    const key = ownerKey(obj, kind);
    if (key) queue.add(key);
  };
}

/** The objects of `inf`, in the owner's namespace, whose controller is `owner` (by uid). */
export function ownedBy(inf: Informer, owner: KubeObject): KubeObject[] {
  return inf.list(owner.metadata.namespace).filter((o) => controllerRef(o)?.uid === owner.metadata.uid);
}

/** A controller's queue: `reconcile(key)` on the context's clock, failures reported unless a conflict. */
export function reconcileQueue(ctx: ControllerContext, reconcile: (key: string) => Promise<void>): WorkQueue {
  return new WorkQueue(reconcile, { clock: ctx.clock, onError: (_k, e) => reportUnlessConflict(ctx, e) });
}

/** Writes `obj`'s status subresource. An object deleted since the cache saw it (by a user, a
 * CronJob's Replace, the garbage collector) has no status to take: undefined, not an error. */
export async function updateStatus(ctx: Pick<ControllerContext, 'client'>, r: ResourceType, obj: KubeObject): Promise<KubeObject | undefined> {
  return ctx.client.update(r, obj.metadata.namespace, obj.metadata.name!, obj, { subresource: 'status' })
    .catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
}
