// What every controller is given: the API client (the part of KubeClient it uses), shared
// informers, the clock, an event recorder and a random source (pod name suffixes). Resource
// rows for the kinds controllers touch are resolved once here.
import type { KubeClient } from '../client/index.ts';
import type { InformerFactory } from '../client/informer.ts';
import { mustResource } from '../api/resources.ts';
import type { Clock } from './clock.ts';
import type { EventRecorder } from './events.ts';

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


export const R = {
  pods: mustResource('pods'),
  nodes: mustResource('nodes'),
  replicasets: mustResource('replicasets'),
  deployments: mustResource('deployments'),
  events: mustResource('events'),
  persistentvolumes: mustResource('persistentvolumes'),
  persistentvolumeclaims: mustResource('persistentvolumeclaims'),
  storageclasses: mustResource('storageclasses'),
  configmaps: mustResource('configmaps'),
};

/** The ownerReference with controller: true, if any. */
export function controllerRef(obj: { metadata: { ownerReferences?: { kind: string; uid: string; name: string; controller?: boolean }[] } }) {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

/** True for an ApiError (or anything shaped like one) with this HTTP code. */
export function isCode(e: unknown, code: number): boolean {
  return (e as { code?: unknown })?.code === code;
}

/** Reports a reconcile failure, except conflicts: a stale cache is expected, the retry fixes it. */
export function reportUnlessConflict(ctx: Pick<ControllerContext, 'onError'>, e: unknown): void {
  if (!isCode(e, 409)) ctx.onError(e);
}
