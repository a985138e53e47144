// Graceful pod deletion, as Kubernetes' pod strategy and rest.BeforeDelete decide it: a pod on a
// node is not removed by DELETE but marked (metadata.deletionTimestamp = now + grace,
// metadata.deletionGracePeriodSeconds = grace) so its kubelet can stop the containers and then
// delete it with grace 0. The grace comes from DeleteOptions, else
// spec.terminationGracePeriodSeconds, else 30; it is 0 for a pod without a node or one that
// already finished. A later DELETE may only shorten a pending grace period.
import type { KubeObject } from '../../api/types.ts';
import { rfc3339 } from '../admit.ts';

export const DEFAULT_GRACE_SECONDS = 30;

/** The grace period a DELETE gives this pod (Kubernetes' podStrategy.CheckGracefulDelete). */
export function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  let period = requested ?? (typeof pod.spec?.terminationGracePeriodSeconds === 'number' ? pod.spec.terminationGracePeriodSeconds : DEFAULT_GRACE_SECONDS);
  if (!pod.spec?.nodeName) period = 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') period = 0;
  if (period < 0) period = 1;
  return period;
}

export type PodDeletePlan =
  | { action: 'remove' } // delete now (grace 0, or nothing to wait for)
  | { action: 'keep'; pod: KubeObject } // already terminating with a grace no longer than asked: nothing changes
  | { action: 'mark'; pod: KubeObject }; // store this copy: terminating with a (new or shorter) grace

/** What a DELETE with `requested` (DeleteOptions.gracePeriodSeconds, if given) does to a stored pod. */
export function planPodDelete(pod: KubeObject, requested: number | undefined, now: Date): PodDeletePlan {
  const m = pod.metadata;
  if (m.deletionTimestamp) {
    const pending = m.deletionGracePeriodSeconds;
    // marked without a grace (finalizers) or with grace 0: nothing left to wait for
    if (typeof pending !== 'number' || pending === 0) return { action: 'remove' };
    if (requested === undefined || requested >= pending) return { action: 'keep', pod };
    const period = Math.max(requested, 0);
    if (period === 0) return { action: 'remove' };
    // shorter: counted from when the deletion began, as Kubernetes does
    const started = Date.parse(m.deletionTimestamp) - pending * 1000;
    const marked = structuredClone(pod);
    marked.metadata.deletionTimestamp = rfc3339(new Date(started + period * 1000));
    marked.metadata.deletionGracePeriodSeconds = period;
    return { action: 'mark', pod: marked };
  }
  const period = podGracePeriod(pod, requested);
  if (period === 0) return { action: 'remove' };
  const marked = structuredClone(pod);
  marked.metadata.deletionTimestamp = rfc3339(new Date(now.getTime() + period * 1000));
  marked.metadata.deletionGracePeriodSeconds = period;
  return { action: 'mark', pod: marked };
}

/** When a terminating pod's grace period has run out (ms since the epoch), or undefined. */
export function graceDeadline(pod: KubeObject): number | undefined {
  const ts = pod.metadata.deletionTimestamp;
  if (!ts || !(Number(pod.metadata.deletionGracePeriodSeconds) > 0)) return undefined;
  return Date.parse(ts);
}
