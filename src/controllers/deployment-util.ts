// Pure rules of the Deployment controller, after Kubernetes' pkg/controller/deployment/util:
// maxSurge/maxUnavailable resolution (integer or percent; surge rounds up, unavailable down;
// both zero means one unavailable), how far the new ReplicaSet may grow, the revision
// annotations, the Deployment's status and its Available/Progressing conditions with
// Kubernetes' reasons and messages. No I/O here.
import type { KubeObject } from '../api/types.ts';
import { canonicalJson } from './hash.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const HASH_LABEL = 'pod-template-hash';

export function replicasOf(o: KubeObject | undefined): number {
  return o?.spec?.replicas ?? (o?.kind === 'Deployment' || o?.kind === 'ReplicaSet' ? 1 : 0);
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const x = v ?? dflt;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(x);
  if (!m) {
    const n = Number(x);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: invalid value "${x}"`);
  }
  const pct = Number(m[1]);
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}

export function isRollingUpdate(d: KubeObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** ResolveFenceposts: [maxSurge, maxUnavailable] for desired replicas. */
export function fenceposts(d: KubeObject): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const desired = replicasOf(d);
  const surge = scaledValue(ru.maxSurge, desired, true, '25%');
  let unavailable = scaledValue(ru.maxUnavailable, desired, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
}

export function maxUnavailable(d: KubeObject): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(fenceposts(d)[1], desired);
}

const sum = (rss: KubeObject[], f: (rs: KubeObject) => number) => rss.reduce((n, rs) => n + f(rs), 0);
export const specReplicas = (rss: KubeObject[]) => sum(rss, replicasOf);
export const availableReplicas = (rss: KubeObject[]) => sum(rss, (rs) => rs.status?.availableReplicas ?? 0);

/** NewRSNewReplicas: the size the new ReplicaSet may have now. */
export function newRSNewReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d)) return desired;
  const current = specReplicas(allRSs);
  const maxTotal = desired + fenceposts(d)[0];
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, desired - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

/** The template without the pod-template-hash label, for EqualIgnoreHash. */
function templateIgnoringHash(t: any): string {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[HASH_LABEL];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  if (copy.metadata && Object.keys(copy.metadata).length === 0) delete copy.metadata;
  return canonicalJson(copy);
}

export function sameTemplate(a: any, b: any): boolean {
  return templateIgnoringHash(a) === templateIgnoringHash(b);
}

export function revisionOf(o: KubeObject): number {
  const n = Number(o.metadata.annotations?.[REVISION] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export function maxRevision(rss: KubeObject[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** Oldest first, then by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

export interface Condition {
  type: string;
  status: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** SetDeploymentCondition: no change for same status and reason; a changed one moves last. */
export function setCondition(conds: Condition[], c: Condition): Condition[] {
  const cur = conds.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return conds;
  const next = { ...c };
  if (cur && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime;
  return [...conds.filter((x) => x.type !== c.type), next];
}

export function condition(type: string, status: string, reason: string, message: string, time: string): Condition {
  return { type, status, lastUpdateTime: time, lastTransitionTime: time, reason, message };
}

/** calculateStatus plus syncRolloutStatus's conditions (no progress deadline). */
export function deploymentStatus(d: KubeObject, newRS: KubeObject | undefined, allRSs: KubeObject[], time: string): Record<string, any> {
  const desired = replicasOf(d);
  const available = availableReplicas(allRSs);
  const total = sum(allRSs, (rs) => rs.status?.replicas ?? 0);
  const status: Record<string, any> = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: total,
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(allRSs, (rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicas(allRSs) - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  let conds: Condition[] = (d.status?.conditions ?? []).map((c: Condition) => ({ ...c }));
  conds =
    available >= desired - maxUnavailable(d)
      ? setCondition(conds, condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', time))
      : setCondition(conds, condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', time));
  const prog = conds.find((c) => c.type === 'Progressing');
  if (newRS && isComplete(d, status)) {
    conds = setCondition(conds, condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`, time));
  } else if (isProgressing(d, status)) {
    const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
    const c = condition('Progressing', 'True', 'ReplicaSetUpdated', msg, time);
    if (prog?.status === 'True') c.lastTransitionTime = prog.lastTransitionTime;
    conds = [...conds.filter((x) => x.type !== 'Progressing'), c];
  }
  // Kubernetes omits zero counts (omitempty).
  for (const k of ['updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'replicas']) if (status[k] === 0) delete status[k];
  status.conditions = conds;
  return status;
}

/** DeploymentComplete. */
export function isComplete(d: KubeObject, s: Record<string, any>): boolean {
  const desired = replicasOf(d);
  return (s.updatedReplicas ?? 0) === desired && (s.replicas ?? 0) === desired && (s.availableReplicas ?? 0) === desired && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1);
}

/** DeploymentProgressing: the new status moved forward from the stored one. */
export function isProgressing(d: KubeObject, s: Record<string, any>): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}
