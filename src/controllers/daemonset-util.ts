// Pure rules of the DaemonSet controller, after Kubernetes' pkg/controller/daemon: which nodes
// should run the daemon (the template's nodeSelector, node affinity and the taints its
// tolerations — with the daemon defaults added — cover), the pod for a node (pinned to it by a
// matchFields metadata.name affinity, labelled with the revision hash and template generation),
// the node a pod belongs to, and the status. No I/O.
import type { KubeObject } from '../api/types.ts';
import { affinityMatches, unfitReason, untoleratedTaint } from './node-fit.ts';
import { REVISION_HASH_LABEL } from './history.ts';
import { isPodAvailable, isPodReady } from './pods.ts';

export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** AddOrUpdateDaemonPodTolerations: what every daemon pod tolerates (and network-unavailable with the host network). */
export function daemonTolerations(spec: { tolerations?: unknown[]; hostNetwork?: boolean }): unknown[] {
  const add = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) add.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const out = [...((spec.tolerations ?? []) as { key?: string; effect?: string }[])];
  for (const t of add) if (!out.some((x) => x.key === t.key && x.effect === t.effect)) out.push(t);
  return out;
}

/** The template as a pod, with the daemon tolerations: what nodeShouldRunDaemonPod judges. */
function templatePod(ds: KubeObject): KubeObject {
  const spec = structuredClone(ds.spec?.template?.spec ?? {});
  spec.tolerations = daemonTolerations(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: ds.metadata.name, namespace: ds.metadata.namespace }, spec };
}

export function shouldRun(ds: KubeObject, node: KubeObject): boolean {
  return unfitReason(templatePod(ds), node) === undefined;
}

/**
 * shouldContinueRunning: a daemon pod already there stays unless its node stopped fitting the
 * selector or affinity, or has a NoExecute taint the pod does not tolerate (a new NoSchedule taint
 * keeps new pods away, not the running one).
 */
export function shouldKeep(ds: KubeObject, node: KubeObject): boolean {
  const pod = templatePod(ds);
  if (!affinityMatches(pod, node)) return false;
  return untoleratedTaint(node, pod.spec.tolerations, 'NoExecute') === undefined;
}

/** The node a daemon pod is for: where it is bound, else the node its affinity pins it to. */
export function nodeOfPod(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  return undefined;
}

/** The daemon pod for a node: the template, pinned to the node (ReplaceDaemonSetPodNodeNameNodeAffinity), generated name. */
export function newPod(ds: KubeObject, nodeName: string, hash: string, name: string): KubeObject {
  const t = ds.spec?.template ?? {};
  const spec = structuredClone(t.spec ?? {});
  spec.tolerations = daemonTolerations(spec);
  const affinity = spec.affinity ?? {};
  spec.affinity = {
    ...affinity,
    nodeAffinity: {
      ...(affinity.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
    },
  };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: ds.metadata.annotations?.['deprecated.daemonset.template.generation'] ?? '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name!, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
  if (t.metadata?.annotations) pod.metadata.annotations = { ...t.metadata.annotations };
  return pod;
}

export const isUpdated = (pod: KubeObject, hash: string): boolean => pod.metadata.labels?.[REVISION_HASH_LABEL] === hash;

/** podByCreationTimestampAndPhase: scheduled pods first, then the oldest, then by name. */
const byCreation = (a: KubeObject, b: KubeObject) =>
  (a.spec?.nodeName ? 0 : 1) - (b.spec?.nodeName ? 0 : 1) ||
  (Date.parse(a.metadata.creationTimestamp ?? '') || 0) - (Date.parse(b.metadata.creationTimestamp ?? '') || 0) ||
  ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1);

/** Pods not terminating, by node, scheduled and oldest first. */
export function podsByNode(pods: KubeObject[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const n = nodeOfPod(p);
    if (!n || p.metadata.deletionTimestamp) continue;
    if (!out.has(n)) out.set(n, []);
    out.get(n)!.push(p);
  }
  for (const list of out.values()) list.sort(byCreation);
  return out;
}

/** updateDaemonSetStatus: counts per node that should (or should not) run the daemon. */
export function daemonStatus(ds: KubeObject, nodes: KubeObject[], byNode: Map<string, KubeObject[]>, hash: string, nowMs: number): Record<string, any> {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  let desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
  for (const n of nodes) {
    const run = shouldRun(ds, n);
    const pods = (byNode.get(n.metadata.name!) ?? []).filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
    if (run) desired++;
    if (pods.length === 0) continue;
    if (!run) {
      misscheduled++;
      continue;
    }
    current++;
    const pod = pods[0]!;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
    if (isUpdated(pod, hash)) updated++; // the node's first pod, as upstream: while surging, the old one
  }
  const status: Record<string, any> = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
  for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable']) if (status[k] === 0) delete status[k];
  return status;
}
