// What every controller is given: the API client (the part of KubeClient it uses), shared
// informers, the clock, an event recorder and a random source (pod name suffixes). Resource
// rows for the kinds controllers touch are resolved once here.
import type { KubeClient } from '../client/index.ts';
import type { InformerFactory } from '../client/informer.ts';
import type { Clock } from './clock.ts';
import type { EventRecorder } from './events.ts';
import { isConflict, isAlreadyExists } from '../api/status.ts';

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
