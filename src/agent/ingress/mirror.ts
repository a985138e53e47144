// What `kubectl get pods -A` shows for the ingress addon: each agent that serves ingress keeps a
// mirror Pod `ingress-nginx-controller-<node>` in namespace ingress-nginx (on its node, host
// network, the node's IP, ports 80/443), Ready while its listeners are up and Not Ready while
// a port cannot be bound; removed when the addon is disabled. kubernetes.io/config.mirror tells
// the kubelet not to run it: the agent already does.
import { R } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { MIRROR_ANNOTATION, type MirrorClient } from '../dns/mirror.ts';
import { isNotFound, isAlreadyExists } from '../../api/status.ts';

export const INGRESS_NAMESPACE = 'ingress-nginx';
const LABELS = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
export const INGRESS_POD_SELECTOR = Object.entries(LABELS).map(([k, v]) => `${k}=${v}`).join(',');

const PODS = R.pods;
const NAMESPACES = R.namespaces;

export interface IngressMirror {
  nodeName: string;
  nodeIP: string;
  image: string;
  /** the listeners are up */
  ready: boolean;
  /** why not, when not ready */
  message?: string;
  now?: () => Date;
}

export function ingressPodName(nodeName: string): string {
  return `ingress-nginx-controller-${nodeName}`;
}

export function ingressPod(o: IngressMirror): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: ingressPodName(o.nodeName), namespace: INGRESS_NAMESPACE, labels: { ...LABELS },
      annotations: { [MIRROR_ANNOTATION]: 'mk-agent', 'kubernetes.io/config.source': 'mk' },
    },
    spec: {
      nodeName: o.nodeName, hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet', priorityClassName: 'system-node-critical',
      containers: [{
        name: 'controller', image: o.image,
        args: ['/nginx-ingress-controller', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx', '--watch-ingress-without-class=true'],
        ports: [
          { name: 'http', containerPort: 80, hostPort: 80, protocol: 'TCP' },
          { name: 'https', containerPort: 443, hostPort: 443, protocol: 'TCP' },
        ],
      }],
    },
  };
}

export function ingressPodStatus(o: IngressMirror): Record<string, unknown> {
  const t = (o.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: t, ...(ok ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [controller]' }) });
  return {
    phase: 'Running', hostIP: o.nodeIP, hostIPs: [{ ip: o.nodeIP }], podIP: o.nodeIP, podIPs: [{ ip: o.nodeIP }], startTime: t, qosClass: 'BestEffort',
    conditions: [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', o.ready), cond('ContainersReady', o.ready), cond('PodScheduled', true)],
    containerStatuses: [{
      name: 'controller', image: o.image, imageID: '', ready: o.ready, started: o.ready, restartCount: 0,
      state: o.ready ? { running: { startedAt: t } } : { waiting: { reason: 'PortInUse', message: o.message ?? 'listeners not up' } },
    }],
  };
}

/** Creates the Pod (and the namespace if it went missing) and writes its status. */
export async function writeIngressPod(client: MirrorClient, o: IngressMirror): Promise<void> {
  const want = ingressPod(o);
  const name = want.metadata.name!;
  try {
    await client.get(PODS, INGRESS_NAMESPACE, name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    try {
      await client.create(PODS, INGRESS_NAMESPACE, want);
    } catch (e2) {
      if (isNotFound(e2)) {
        await client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: INGRESS_NAMESPACE } }).catch((e3) => { if (!isAlreadyExists(e3)) throw e3; });
        await client.create(PODS, INGRESS_NAMESPACE, want);
      } else if (!isAlreadyExists(e2)) throw e2;
    }
  }
  await client.patch(PODS, INGRESS_NAMESPACE, name, { status: ingressPodStatus(o) }, 'merge', { subresource: 'status' });
}

/** Removes this node's Pod (gone already is fine). */
export async function deleteIngressPod(client: { delete(r: typeof PODS, ns: string, name: string, o: { gracePeriodSeconds: number }): Promise<unknown> }, nodeName: string): Promise<void> {
  try {
    await client.delete(PODS, INGRESS_NAMESPACE, ingressPodName(nodeName), { gracePeriodSeconds: 0 });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
