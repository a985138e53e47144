// What `mk get pods -n kube-system` shows for the cluster DNS: each node's agent serves it, so
// each agent writes a mirror-like Pod `mk-agent-<node>` (kube-system, on its node, host network,
// the node's IP, Running and Ready, labelled k8s-app=kube-dns so the kube-dns Service's
// Endpoints list the node IPs through the normal endpoints controller). The annotation
// kubernetes.io/config.mirror tells the kubelet not to run it: the agent is already running.
import type { ResourceType } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { isNotFound, isAlreadyExists } from '../../api/status.ts';

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export interface MirrorClient {
  get(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject>;
  create(r: ResourceType, namespace: string | undefined, body: KubeObject): Promise<KubeObject>;
  patch(r: ResourceType, namespace: string | undefined, name: string, body: unknown, type: 'merge', o?: { subresource?: string }): Promise<KubeObject>;
}

export interface MirrorOptions {
  nodeName: string;
  nodeIP: string;
  /** the node image the agent runs in */
  image: string;
  now?: () => Date;
}

export function isMirrorPod(p: KubeObject): boolean {
  return !!p.metadata.annotations?.[MIRROR_ANNOTATION];
}

export function mirrorPodName(nodeName: string): string {
  return `mk-agent-${nodeName}`;
}

export function mirrorPod(o: MirrorOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: mirrorPodName(o.nodeName),
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', component: 'mk-agent', tier: 'node' },
      annotations: { [MIRROR_ANNOTATION]: 'mk-agent', 'kubernetes.io/config.source': 'mk' },
    },
    spec: {
      nodeName: o.nodeName,
      hostNetwork: true,
      dnsPolicy: 'Default',
      priorityClassName: 'system-node-critical',
      containers: [{
        name: 'agent',
        image: o.image,
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
        ],
      }],
    },
  };
}

export function mirrorStatus(o: MirrorOptions): Record<string, unknown> {
  const t = (o.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
  return {
    phase: 'Running',
    hostIP: o.nodeIP,
    hostIPs: [{ ip: o.nodeIP }],
    podIP: o.nodeIP,
    podIPs: [{ ip: o.nodeIP }],
    startTime: t,
    qosClass: 'BestEffort',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(cond),
    containerStatuses: [{ name: 'agent', image: o.image, imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: t } } }],
  };
}

/** Creates the agent's Pod if missing and marks it Running with this start's time and IP. */
export async function writeMirrorPod(client: MirrorClient, pods: ResourceType, o: MirrorOptions): Promise<void> {
  const want = mirrorPod(o);
  const name = want.metadata.name!;
  try {
    await client.get(pods, 'kube-system', name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    try { await client.create(pods, 'kube-system', want); } catch (e2) { if (!isAlreadyExists(e2)) throw e2; }
  }
  await client.patch(pods, 'kube-system', name, { status: mirrorStatus(o) }, 'merge', { subresource: 'status' });
}
