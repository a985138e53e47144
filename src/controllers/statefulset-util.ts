// Pure rules of the StatefulSet controller, after Kubernetes' pkg/controller/statefulset
// (stateful_set_utils.go): a pod's ordinal and identity (name `<set>-<ordinal>`, hostname, the
// headless Service as subdomain, the pod-name, pod-index and revision labels), its claims
// (`<template>-<set>-<ordinal>`, one per volumeClaimTemplate, mounted in place of a template
// volume of the same name), which revision a new pod gets (partition), and the status. No I/O.
import type { KubeObject } from '../api/types.ts';
import { isPodAvailable, isPodReady } from './pods.ts';
import { REVISION_HASH_LABEL } from './history.ts';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export function replicasOf(set: KubeObject): number {
  return set.spec?.replicas ?? 1;
}

export function startOrdinal(set: KubeObject): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** The ordinal at the end of a pod name `<set>-<n>`, or -1 when the name is not one of the set's. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

export function podName(set: KubeObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

export function claimName(set: KubeObject, template: KubeObject, ordinal: number): string {
  return `${template.metadata.name}-${podName(set, ordinal)}`;
}

/** The PersistentVolumeClaims pod `ordinal` mounts, from the claim templates (getPersistentVolumeClaims). */
export function claimsFor(set: KubeObject, ordinal: number): KubeObject[] {
  const templates: KubeObject[] = set.spec?.volumeClaimTemplates ?? [];
  const selectorLabels: Record<string, string> = set.spec?.selector?.matchLabels ?? {};
  return templates.map((t) => {
    const claim: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(set, t, ordinal),
        namespace: set.metadata.namespace,
        labels: { ...(t.metadata.labels ?? {}), ...selectorLabels },
      },
      spec: structuredClone(t.spec ?? {}),
    };
    if (t.metadata.annotations) claim.metadata.annotations = { ...t.metadata.annotations };
    return claim;
  });
}

/** Does the pod carry the name-derived labels of its identity (pod-name, pod-index)? */
export function identityMatches(set: KubeObject, pod: KubeObject): boolean {
  const ord = ordinalOf(set, pod);
  return ord >= 0 && pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name && pod.metadata.labels?.[POD_INDEX_LABEL] === String(ord);
}

/** newVersionedStatefulSetPod: the pod for `ordinal` from the template `templateSet` holds, labelled with `revision`. */
export function newPod(set: KubeObject, templateSet: KubeObject, revision: string, ordinal: number): KubeObject {
  const t = templateSet.spec?.template ?? {};
  const name = podName(set, ordinal);
  const spec = structuredClone(t.spec ?? {});
  const claimTemplates: KubeObject[] = set.spec?.volumeClaimTemplates ?? [];
  if (claimTemplates.length > 0) {
    const claimVolumes = claimTemplates.map((c) => ({ name: c.metadata.name, persistentVolumeClaim: { claimName: claimName(set, c, ordinal) } }));
    const names = new Set(claimVolumes.map((v) => v.name));
    spec.volumes = [...claimVolumes, ...((spec.volumes ?? []) as { name: string }[]).filter((v) => !names.has(v.name))];
  }
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  else delete spec.subdomain;
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_HASH_LABEL]: revision },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
  if (t.metadata?.annotations) pod.metadata.annotations = { ...t.metadata.annotations };
  return pod;
}

/**
 * Which revision a pod made now gets (newVersionedStatefulSetPod): the current one below the
 * partition of a RollingUpdate, the update one otherwise (OnDelete too: a deleted pod comes back new).
 */
export function revisionForNewPod(set: KubeObject, ordinal: number): 'current' | 'update' {
  const us = set.spec?.updateStrategy ?? { type: 'RollingUpdate' };
  if (us.type === 'RollingUpdate' && !us.rollingUpdate && ordinal < startOrdinal(set) + (set.status?.currentReplicas ?? 0)) return 'current';
  if (us.rollingUpdate && ordinal < startOrdinal(set) + (us.rollingUpdate.partition ?? 0)) return 'current';
  return 'update';
}

export function isRunningAndReady(pod: KubeObject): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

export function isFinished(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export const isTerminating = (pod: KubeObject): boolean => !!pod.metadata.deletionTimestamp;

/**
 * The status the set's pods add up to (computeReplicaStatus), before completeRollingUpdate: every
 * created pod with an ordinal counts as a replica (and ready, available) until it is gone, a
 * terminating one too; only those not terminating count as current or updated.
 */
export function setStatus(set: KubeObject, pods: KubeObject[], current: string, update: string, collisionCount: number, nowMs: number): Record<string, any> {
  const minReady = set.spec?.minReadySeconds ?? 0;
  const created = pods.filter((p) => ordinalOf(set, p) >= 0 && !!p.status?.phase);
  const live = created.filter((p) => !isTerminating(p));
  const status: Record<string, any> = {
    observedGeneration: set.metadata.generation ?? 1,
    replicas: created.length,
    readyReplicas: created.filter(isRunningAndReady).length,
    currentReplicas: live.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === current).length,
    updatedReplicas: live.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === update).length,
    availableReplicas: created.filter((p) => isRunningAndReady(p) && isPodAvailable(p, minReady, nowMs)).length,
    currentRevision: current,
    updateRevision: update,
    collisionCount,
  };
  // completeRollingUpdate: once every pod runs the update revision, it is the current one
  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentRevision = update;
    status.currentReplicas = status.updatedReplicas;
  }
  // omitempty in apps/v1, all but availableReplicas
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (status[k] === 0) delete status[k];
  return status;
}
