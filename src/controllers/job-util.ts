// Pure rules of the Job controller, after Kubernetes' pkg/controller/job: which pods count as
// succeeded or failed (a pod deleted before it finished failed), the pod for a Job (its
// template, the tracking finalizer, for Indexed jobs the completion index as label, annotation,
// hostname and JOB_COMPLETION_INDEX), how many pods should run, when the back-off limit or the
// deadline is passed, the pod back-off (10 s doubling, at most 10 minutes), completed indexes as
// `0-2,4`, and the conditions with Kubernetes' reasons and messages. No I/O.
import type { KubeObject } from '../api/types.ts';
import { JOB_LABELS, JOB_TRACKING_FINALIZER } from '../api/batch.ts';

export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_MAX_MS = 10 * 60_000;

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const REASONS = {
  backoff: ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
  deadline: ['DeadlineExceeded', 'Job was active longer than specified deadline'],
  complete: ['CompletionsReached', 'Reached expected number of succeeded pods'],
} as const;

export const isIndexed = (job: KubeObject): boolean => job.spec?.completionMode === 'Indexed';
export const hasTrackingFinalizer = (pod: KubeObject): boolean => (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
const finished = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** A pod that still counts toward parallelism: not finished, not being deleted. */
export const isActive = (pod: KubeObject): boolean => !finished(pod) && !pod.metadata.deletionTimestamp;

/** How a tracked pod ended: succeeded, failed (or deleted before it finished), or not yet. */
export function outcome(pod: KubeObject): 'succeeded' | 'failed' | undefined {
  if (pod.status?.phase === 'Succeeded') return 'succeeded';
  if (pod.status?.phase === 'Failed') return 'failed';
  return pod.metadata.deletionTimestamp ? 'failed' : undefined;
}

export function indexOf(pod: KubeObject): number | undefined {
  const v = pod.metadata.annotations?.[JOB_LABELS.completionIndex] ?? pod.metadata.labels?.[JOB_LABELS.completionIndex];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Sorted indexes as Kubernetes writes completedIndexes: ranges joined by commas (`0-2,4`). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a!; i <= (b ?? a)!; i++) out.add(i);
  }
  return out;
}

/** The pod the Job runs next (index given for Indexed jobs). */
export function newPod(job: KubeObject, name: string, index: number | undefined): KubeObject {
  const t = job.spec?.template ?? {};
  const spec = structuredClone(t.spec ?? {});
  const labels: Record<string, string> = { ...(t.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = { ...(t.metadata?.annotations ?? {}) };
  if (index !== undefined) {
    labels[JOB_LABELS.completionIndex] = String(index);
    annotations[JOB_LABELS.completionIndex] = String(index);
    spec.hostname ??= `${job.metadata.name}-${index}`;
    const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${JOB_LABELS.completionIndex}']` } } };
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      if (!(c.env ?? []).some((e: { name: string }) => e.name === env.name)) c.env = [...(c.env ?? []), env];
    }
  }
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: index !== undefined ? `${job.metadata.name}-${index}-` : `${job.metadata.name}-`,
      namespace: job.metadata.namespace,
      labels,
      finalizers: [JOB_TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name!, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
  if (Object.keys(annotations).length) pod.metadata.annotations = annotations;
  return pod;
}

/** pastBackoffLimit: failed pods beyond backoffLimit, or (restartPolicy OnFailure) the restarts of its running and pending pods, terminating or not, reaching it. */
export function pastBackoffLimit(job: KubeObject, failed: number, pods: KubeObject[]): boolean {
  const limit: number = job.spec?.backoffLimit ?? 6;
  if (job.spec?.template?.spec?.restartPolicy === 'OnFailure') {
    let restarts = 0;
    for (const p of pods.filter((x) => x.status?.phase === 'Running' || x.status?.phase === 'Pending')) for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
    if (limit === 0 ? restarts > 0 : restarts >= limit) return true;
  }
  return failed > limit;
}

/** How long after the last failure the next pod may start (10 s, doubled per failure, at most 10 minutes). */
export function backoffDelay(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 16));
}

/** Pods that should run now: up to parallelism, never more than the completions left. */
export function wantActive(job: KubeObject, succeeded: number): number {
  const parallelism: number = job.spec?.parallelism ?? 1;
  const completions: number | undefined = job.spec?.completions ?? undefined;
  if (completions === undefined || completions === null) return succeeded > 0 ? 0 : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

export function hasCondition(job: KubeObject, type: string): boolean {
  return ((job.status?.conditions ?? []) as JobCondition[]).some((c) => c.type === type && c.status === 'True');
}

/** The conditions with `type` set (kept when status, reason and message are the same). */
export function withCondition(conds: JobCondition[] | undefined, type: string, status: string, reason: string, message: string, time: string): JobCondition[] {
  const list = [...(conds ?? [])];
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0 && list[i]!.status === status && list[i]!.reason === reason && list[i]!.message === message) return list;
  const c: JobCondition = { type, status, lastProbeTime: time, lastTransitionTime: i >= 0 && list[i]!.status === status ? list[i]!.lastTransitionTime : time, reason, message };
  if (i >= 0) list[i] = c;
  else list.push(c);
  return list;
}

export type PolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

/**
 * matchPodFailurePolicy: the first rule of spec.podFailurePolicy a failed pod matches — by a
 * container's non-zero exit code (In/NotIn, optionally one container) or a pod condition — with
 * the message upstream gives; undefined when no rule matches (the failure counts).
 */
export function podFailurePolicyMatch(job: KubeObject, pod: KubeObject): { action: PolicyAction; message: string } | undefined {
  const rules: Record<string, any>[] = job.spec?.podFailurePolicy?.rules ?? [];
  const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const statuses: Record<string, any>[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (r.onExitCodes) {
      const req = r.onExitCodes;
      for (const s of statuses) {
        const code = s.state?.terminated?.exitCode;
        if (typeof code !== 'number' || code === 0 || (req.containerName && req.containerName !== s.name)) continue;
        const listed = (req.values ?? []).includes(code);
        if (req.operator === 'In' ? listed : !listed) return { action: r.action, message: `Container ${s.name} for pod ${ref} failed with exit code ${code} matching ${r.action} rule at index ${i}` };
      }
    }
    for (const p of r.onPodConditions ?? []) {
      const c = (pod.status?.conditions ?? []).find((x: { type: string }) => x.type === p.type);
      if (c && c.status === (p.status ?? 'True')) return { action: r.action, message: `Pod ${ref} has condition ${p.type} matching ${r.action} rule at index ${i}` };
    }
  }
  return undefined;
}
