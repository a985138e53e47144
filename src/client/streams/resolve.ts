// What exec, logs and port-forward do before opening a stream, as kubectl does it on the client:
// TYPE/NAME (pod, svc, deploy, rs) → one pod (the most active one behind the selector, kubectl's
// AttachablePodForObject), the container to use (kubectl's default-container rules and its
// `Defaulted container` note), and a Service port → the pod's target port.
import { mapSelectorString, selectorString } from '../../api/labels.ts';
import { R, resolveResource } from '../../api/resources.ts';
import type { ResourceType } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { UserError } from '../../lib/errors.ts';
import type { KubeClient } from '../index.ts';

const POD = R.pods;

export interface PodRef {
  pod: KubeObject;
  /** How many pods matched when the pod was chosen through a selector (logs prints it). */
  matched: number;
}

/** `POD`, `pod/NAME`, `svc/NAME`, `deploy/NAME`, `rs/NAME` → a pod, kubectl's way. */
export async function resolvePod(client: KubeClient, namespace: string, target: string): Promise<PodRef> {
  const slash = target.indexOf('/');
  if (slash < 0) return { pod: await client.get(POD, namespace, target), matched: 1 };
  const type = target.slice(0, slash);
  const name = target.slice(slash + 1);
  const r = resolveResource(type);
  if (!r) throw new UserError(`error: the server doesn't have a resource type "${type}"`);
  if (!name) throw new UserError('error: arguments in resource/name form must have a single resource and name');
  if (r.kind === 'Pod') return { pod: await client.get(POD, namespace, name), matched: 1 };
  const obj = await client.get(r, namespace, name);
  return firstPod(client, namespace, selectorOf(r, obj));
}

function selectorOf(r: ResourceType, obj: KubeObject): string {
  const name = obj.metadata.name;
  if (r.kind === 'Service') {
    const sel = obj.spec?.selector as Record<string, string> | undefined;
    if (!sel || Object.keys(sel).length === 0) throw new UserError(`error: invalid service '${name}': Service is defined without a selector`);
    return mapSelectorString(sel);
  }
  if (r.kind === 'Deployment' || r.kind === 'ReplicaSet') {
    return selectorString(obj.spec?.selector);
  }
  throw new UserError(`error: cannot attach to ${r.kind}: not implemented`);
}

async function firstPod(client: KubeClient, namespace: string, labelSelector: string): Promise<PodRef> {
  const pods = (await client.list(POD, { namespace, labelSelector })).items as KubeObject[];
  if (pods.length === 0) throw new UserError(`error: timed out waiting for the condition`, undefined);
  pods.sort((a, b) => activeness(b) - activeness(a));
  return { pod: pods[0]!, matched: pods.length };
}

/** kubectl's ActivePods order, as one number: higher is more active (reversed sort picks it). */
function activeness(p: KubeObject): number {
  const phase = p.status?.phase;
  const ready = (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
  let n = 0;
  if (p.spec?.nodeName) n += 8;
  n += phase === 'Running' ? 4 : phase === 'Unknown' ? 2 : phase === 'Pending' ? 1 : 0;
  if (ready) n += 16;
  if (p.metadata.deletionTimestamp) n -= 32;
  return n;
}

/**
 * The container a command without -c uses: the `kubectl.kubernetes.io/default-container`
 * annotation, else the first; `note` is kubectl's `Defaulted container` line when it had to choose.
 */
export function defaultContainer(pod: KubeObject): { name: string; note?: string } {
  const containers = (pod.spec?.containers ?? []) as { name: string }[];
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && containers.some((c) => c.name === annotated)) return { name: annotated };
  const first = containers[0]?.name ?? '';
  if (containers.length <= 1) return { name: first };
  const all = [
    ...containers.map((c) => c.name),
    ...((pod.spec?.ephemeralContainers ?? []) as { name: string }[]).map((c) => `${c.name} (ephem)`),
    ...((pod.spec?.initContainers ?? []) as { name: string }[]).map((c) => `${c.name} (init)`),
  ];
  return { name: first, note: `Defaulted container "${first}" out of: ${all.join(', ')}` };
}

/** A service port → the pod port it reaches (kubectl's translateServicePortToTargetPort). */
export function serviceTargetPort(svc: KubeObject, pod: KubeObject, port: number): number {
  const ports = (svc.spec?.ports ?? []) as { port: number; targetPort?: number | string }[];
  const sp = ports.find((p) => p.port === port);
  if (!sp) throw new UserError(`error: Service ${svc.metadata.name} does not have a service port ${port}`);
  const tp = sp.targetPort;
  if (tp === undefined || tp === 0 || tp === '') return sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  for (const c of (pod.spec?.containers ?? []) as { ports?: { name?: string; containerPort: number }[] }[]) {
    const found = c.ports?.find((p) => p.name === tp);
    if (found) return found.containerPort;
  }
  throw new UserError(`error: Pod '${pod.metadata.name}' does not have a named port '${tp}'`);
}

/** A named container port of the pod → its number (port-forward pod/x http). */
export function containerPortByName(pod: KubeObject, name: string): number {
  for (const c of (pod.spec?.containers ?? []) as { ports?: { name?: string; containerPort: number }[] }[]) {
    const found = c.ports?.find((p) => p.name === name);
    if (found) return found.containerPort;
  }
  throw new UserError(`error: Pod '${pod.metadata.name}' does not have a named port '${name}'`);
}
