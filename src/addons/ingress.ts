// The ingress addon, as `mk addons enable|disable ingress` and `mk addons list` use it:
//   enableIngress  — namespace ingress-nginx, IngressClass `nginx` (controller
//                    k8s.io/ingress-nginx, marked default), then state "enabled": every node
//                    agent starts serving :80/:443 and writes its mirror Pod in ingress-nginx;
//   waitForIngress — until each Ready node's mirror Pod is Ready (the listener is up);
//   disableIngress — state "disabled" (agents stop serving, clear the addresses they wrote and
//                    remove their Pods), the IngressClass and the namespace go, as minikube's.
import { R } from '../api/resources.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import type { KubeClient } from '../client/index.ts';
import { CLASS_NAME, CONTROLLER, DEFAULT_CLASS_ANNOTATION } from '../agent/ingress/class.ts';
import { INGRESS_NAMESPACE, INGRESS_POD_SELECTOR } from '../agent/ingress/mirror.ts';
import { setAddonState } from './state.ts';
import type { Addon } from './types.ts';

export { INGRESS_NAMESPACE } from '../agent/ingress/mirror.ts';

export const INGRESS = 'ingress';

export type IngressAddonClient = Pick<KubeClient, 'get' | 'create' | 'patch' | 'delete' | 'list'>;

const unlessNotFound = (e: unknown) => { if (!isNotFound(e)) throw e; };

/** The IngressClass enabling creates. */
export function nginxIngressClass(): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: {
      name: CLASS_NAME,
      labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
      annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
    },
    spec: { controller: CONTROLLER },
  };
}

export async function enableIngress(client: IngressAddonClient): Promise<void> {
  await client.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: INGRESS_NAMESPACE, labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx' } } }).catch((e) => { if (!isAlreadyExists(e)) throw e; });
  const ic = nginxIngressClass();
  try {
    await client.create(R.ingressclasses, undefined, ic);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    // it exists (enabled before, or made by hand): make it ours and the default again
    await client.patch(R.ingressclasses, undefined, CLASS_NAME, { metadata: { annotations: ic.metadata.annotations }, spec: ic.spec }, 'merge');
  }
  await setAddonState(client, INGRESS, 'enabled');
}

export async function disableIngress(client: IngressAddonClient): Promise<void> {
  await setAddonState(client, INGRESS, 'disabled');
  await client.delete(R.ingressclasses, undefined, CLASS_NAME).catch(unlessNotFound);
  // the Pods of agents that are down (running agents remove their own)
  const pods = await client.list(R.pods, { namespace: INGRESS_NAMESPACE, labelSelector: INGRESS_POD_SELECTOR }).catch((e) => { unlessNotFound(e); return { items: [] as KubeObject[] }; });
  await Promise.all(pods.items.map((p) => client.delete(R.pods, INGRESS_NAMESPACE, p.metadata.name!, { gracePeriodSeconds: 0 }).catch(unlessNotFound)));
  await client.delete(R.namespaces, undefined, INGRESS_NAMESPACE).catch(unlessNotFound);
}

const ready = (p: KubeObject) => (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
const nodeReady = (n: KubeObject) => (n.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

export interface WaitOptions {
  /** default 30 s */
  timeoutMs?: number;
  /** how often to look (default 50 ms) */
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Resolves with the serving controllers' Pods once every Ready node has a Ready one (at least
 * one in all): each agent marks its Pod Ready when its listeners are up. Throws on timeout,
 * naming the nodes that do not serve yet.
 */
export async function waitForIngress(client: Pick<KubeClient, 'list'>, o: WaitOptions = {}): Promise<KubeObject[]> {
  const end = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    const [pods, nodes] = await Promise.all([
      client.list(R.pods, { namespace: INGRESS_NAMESPACE, labelSelector: INGRESS_POD_SELECTOR }),
      client.list(R.nodes),
    ]);
    const serving = pods.items.filter(ready);
    const servingNodes = new Set(serving.map((p) => p.spec?.nodeName));
    const missing = nodes.items.filter(nodeReady).map((n) => n.metadata.name!).filter((n) => !servingNodes.has(n));
    if (serving.length > 0 && missing.length === 0) return serving;
    if (Date.now() > end) throw new Error(`the ingress controller is not serving on ${missing.length ? missing.join(', ') : 'any node'} after ${o.timeoutMs ?? 30_000} ms`);
    if (o.signal?.aborted) throw o.signal.reason;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 50));
  }
}

/** `mk addons enable|disable ingress`. */
export const ingressAddon: Addon = {
  name: INGRESS,
  maintainer: 'Kubernetes',
  docs: 'https://kubernetes.io/docs/tasks/access-application-cluster/ingress-minikube/',
  uses: ['each node\'s mk agent serves HTTP on :80 and HTTPS on :443 (IngressClass nginx, the default); no image to pull'],
  enable: enableIngress,
  disable: disableIngress,
  ready: (client, o) => waitForIngress(client, o),
};
