// Facts about pods that several controllers read: whether a pod is active / ready / available
// (Kubernetes' podutil.IsPodAvailable), and the order in which a ReplicaSet gives up pods when
// scaling down.
import type { KubeObject } from '../api/types.ts';

/** Not terminating and not finished (controller.IsPodActive). */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: KubeObject): { status?: string; lastTransitionTime?: string } | undefined {
  return (pod.status?.conditions as { type: string; status?: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** Ready for at least minReadySeconds at nowMs. */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: KubeObject): number {
  return ((pod.status?.containerStatuses ?? []) as { restartCount?: number }[]).reduce((n, c) => Math.max(n, c.restartCount ?? 0), 0);
}

/**
 * Compares pods for deletion, first = deleted first (controller.ActivePods ordering):
 * unscheduled before scheduled, Pending < Unknown < Running, not ready before ready, ready for
 * less time first, more restarts first, newer first.
 */
export function deletionOrder(a: KubeObject, b: KubeObject): number {
  const sa = a.spec?.nodeName ? 1 : 0;
  const sb = b.spec?.nodeName ? 1 : 0;
  if (sa !== sb) return sa - sb;
  const pa = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0;
  const pb = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  if (ra && rb) {
    const ta = Date.parse(readyCondition(a)?.lastTransitionTime ?? '') || 0;
    const tb = Date.parse(readyCondition(b)?.lastTransitionTime ?? '') || 0;
    if (ta !== tb) return tb - ta; // later transition = ready for less time = first
  }
  const xa = restarts(a);
  const xb = restarts(b);
  if (xa !== xb) return xb - xa;
  const ca = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const cb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ca !== cb) return cb - ca; // newer first
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? 1 : -1;
}
