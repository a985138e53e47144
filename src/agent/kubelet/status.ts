// Pod status as the kubelet reports it, computed from what it observed of each container
// (pure): phase (kubelet getPhase), conditions PodScheduled / Initialized / ContainersReady /
// Ready with lastTransitionTime kept while a status does not change, containerStatuses,
// podIP(s), hostIP(s), startTime and qosClass.
import type { KubeObject } from '../../api/types.ts';

export interface ContainerStateK8s {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string; signal?: number };
}

export interface ContainerStatusK8s {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerStateK8s;
  lastState: ContainerStateK8s;
}

export interface Condition { type: string; status: 'True' | 'False' | 'Unknown'; lastProbeTime: null; lastTransitionTime: string; reason?: string; message?: string }

type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** kubelet's getPhase for the regular containers; a terminal pod (being deleted, its containers
 * stopped) ends Succeeded or Failed whatever its restartPolicy, as kubelets since 1.27 write it. */
export function podPhase(spec: { restartPolicy?: string; containers?: unknown[] }, statuses: ContainerStatusK8s[], terminal = false): Phase {
  let running = 0, waiting = 0, stopped = 0, succeeded = 0, unknown = 0;
  const n = spec.containers?.length ?? statuses.length;
  for (let i = 0; i < n; i++) {
    const s = statuses[i];
    if (!s) { unknown++; continue; }
    if (s.state.running) running++;
    else if (s.state.terminated) { stopped++; if (s.state.terminated.exitCode === 0) succeeded++; }
    else if (s.state.waiting) { if (s.lastState.terminated) stopped++; else waiting++; }
    else unknown++;
  }
  const policy = spec.restartPolicy ?? 'Always';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** Guaranteed / Burstable / BestEffort from requests and limits (GetPodQOS). */
export function qosClass(pod: KubeObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as any[];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req: Record<string, unknown> = c.resources?.requests ?? {};
    const lim: Record<string, unknown> = c.resources?.limits ?? {};
    const relevant = (k: string) => k === 'cpu' || k === 'memory';
    if (Object.keys(req).some(relevant) || Object.keys(lim).some(relevant)) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined) { guaranteed = false; continue; }
      if (req[r] !== undefined && String(req[r]) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function cond(prev: Condition[], type: string, status: Condition['status'], now: string, reason?: string, message?: string): Condition {
  const old = prev.find((c) => c.type === type);
  const c: Condition = { type, status, lastProbeTime: null, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

export interface StatusInput {
  containers: ContainerStatusK8s[];
  podIP?: string;
  hostIP: string;
  /** RFC 3339 */
  now: string;
  /** the pod is being deleted and its containers have been stopped */
  terminal?: boolean;
}

/** The full status the kubelet writes for a pod. */
export function computePodStatus(pod: KubeObject, o: StatusInput): Record<string, unknown> {
  const prev = (pod.status ?? {}) as Record<string, any>;
  const prevConds = (prev.conditions ?? []) as Condition[];
  const phase = podPhase(pod.spec ?? {}, o.containers, o.terminal);
  const unready = o.containers.filter((c) => !c.ready).map((c) => c.name);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const ready = unready.length === 0 && o.containers.length > 0 && !done;
  const notReadyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const notReadyMsg = done ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const scheduled = prevConds.find((c) => c.type === 'PodScheduled');
  const conditions: Condition[] = [
    cond(prevConds, 'Initialized', 'True', o.now, done ? 'PodCompleted' : undefined),
    ready ? cond(prevConds, 'Ready', 'True', o.now) : cond(prevConds, 'Ready', 'False', o.now, notReadyReason, notReadyMsg),
    ready ? cond(prevConds, 'ContainersReady', 'True', o.now) : cond(prevConds, 'ContainersReady', 'False', o.now, notReadyReason, notReadyMsg),
    scheduled ?? cond(prevConds, 'PodScheduled', 'True', o.now),
  ];
  const status: Record<string, unknown> = {
    phase,
    conditions,
    hostIP: o.hostIP,
    hostIPs: [{ ip: o.hostIP }],
  };
  if (o.podIP) {
    status.podIP = o.podIP;
    status.podIPs = [{ ip: o.podIP }];
  }
  status.startTime = prev.startTime ?? o.now;
  status.containerStatuses = o.containers;
  status.qosClass = qosClass(pod);
  return status;
}

/** The waiting state of a container not created yet. */
export function creating(container: { name: string; image: string }): ContainerStatusK8s {
  return { name: container.name, image: container.image, imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} };
}

/** True when two statuses differ in anything but key order. */
export function statusChanged(a: unknown, b: unknown): boolean {
  return canonical(a) !== canonical(b);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => p.localeCompare(q))) : x));
}
