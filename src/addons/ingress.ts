// The ingress addon, as `mk addons enable|disable ingress` and `mk addons list` use it:
//   enableIngress  — namespace ingress-nginx, IngressClass `nginx` (controller
//                    k8s.io/ingress-nginx, marked default), then state "enabled": every node
//                    agent starts serving :80/:443 and writes its mirror Pod in ingress-nginx;
//   waitForIngress — until each Ready node's mirror Pod is Ready (the listener is up);
//   disableIngress — state "disabled" (agents stop serving, clear the addresses they wrote and
//                    remove their Pods), the IngressClass and the namespace go, as minikube's.
import { mustResource } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { KubeClient } from '../client/index.ts';
import { CLASS_NAME, CONTROLLER, DEFAULT_CLASS_ANNOTATION } from '../agent/ingress/class.ts';
import { INGRESS_NAMESPACE, INGRESS_POD_SELECTOR } from '../agent/ingress/mirror.ts';
import { setAddonState } from './state.ts';

export { INGRESS_NAMESPACE } from '../agent/ingress/mirror.ts';

export const INGRESS = 'ingress';

export { ADDONS, listAddons } from './registry.ts';

const R = {
  namespaces: mustResource('namespaces'),
  ingressclasses: mustResource('ingressclasses'),
  pods: mustResource('pods'),
  nodes: mustResource('nodes'),
};

export type IngressAddonClient = Pick<KubeClient, 'get' | 'create' | 'patch' | 'delete' | 'list'>;

const code = (e: unknown) => (e as { code?: number }).code;
const ignore = (...codes: number[]) => (e: unknown) => { if (!codes.includes(code(e) ?? 0)) throw e; };

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
  await client.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: INGRESS_NAMESPACE, labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx' } } }).catch(ignore(409));
  const ic = nginxIngressClass();
  try {
    await client.create(R.ingressclasses, undefined, ic);
  } catch (e) {
    if (code(e) !== 409) throw e;
    // it exists (enabled before, or made by hand): make it ours and the default again
    await client.patch(R.ingressclasses, undefined, CLASS_NAME, { metadata: { annotations: ic.metadata.annotations }, spec: ic.spec }, 'merge');
  }
  await setAddonState(client, INGRESS, 'enabled');
}

export async function disableIngress(client: IngressAddonClient): Promise<void> {
  await setAddonState(client, INGRESS, 'disabled');
  await client.delete(R.ingressclasses, undefined, CLASS_NAME).catch(ignore(404));
  // the Pods of agents that are down (running agents remove their own)
  const pods = await client.list(R.pods, { namespace: INGRESS_NAMESPACE, labelSelector: INGRESS_POD_SELECTOR }).catch((e) => { ignore(404)(e); return { items: [] as KubeObject[] }; });
  await Promise.all(pods.items.map((p) => client.delete(R.pods, INGRESS_NAMESPACE, p.metadata.name!, { gracePeriodSeconds: 0 }).catch(ignore(404))));
  await client.delete(R.namespaces, undefined, INGRESS_NAMESPACE).catch(ignore(404));
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
