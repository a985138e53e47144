// `mk status`: minikube's per-node fields (host, kubelet, apiserver, kubeconfig) gathered from
// Docker, the API server's /readyz, the Node objects and the kubeconfig, rendered in minikube's
// layout, with minikube's exit code bits (1 host, 2 cluster, 4 kubeconfig/Kubernetes) and its
// warning, naming the command that fixes it, when the kubeconfig context is stale.
import { R } from '../api/resources.ts';
import type { Runtime } from '../runtime/types.ts';
import { KubeClient } from '../client/index.ts';
import { kubeconfigPath, readConfig } from '../kubeconfig/index.ts';
import { probe, readAccess } from './access.ts';
import { contextProblems } from './kube-context.ts';
import { profileNotFound } from './lifecycle.ts';
import { APISERVER_PORT } from '../api/network.ts';
import { findNodes } from './nodes.ts';

export type State = 'Running' | 'Stopped' | 'Configured' | 'Misconfigured' | 'Nonexistent';

export interface NodeStatus {
  name: string;
  controlPlane: boolean;
  host: State;
  kubelet: State;
  /** control plane only */
  apiserver?: State;
  kubeconfig?: State;
}

export async function clusterStatus(rt: Runtime, profile: string, o: { env: NodeJS.ProcessEnv; kubeconfig?: string }): Promise<NodeStatus[]> {
  const nodes = await findNodes(rt, profile);
  if (nodes.length === 0) throw profileNotFound(profile);
  const cp = nodes[0]!;
  const out: NodeStatus[] = nodes.map((n) => ({
    name: n.name, controlPlane: n.role === 'control-plane', host: n.running ? 'Running' : 'Stopped', kubelet: 'Stopped',
    ...(n.role === 'control-plane' ? { apiserver: 'Stopped' as State, kubeconfig: 'Stopped' as State } : {}),
  }));
  if (!cp.running || cp.role !== 'control-plane') return out;
  const st = await rt.inspectContainer(cp.id);
  const port = st.publishedPorts.find((p) => p.containerPort === APISERVER_PORT)?.hostPort;
  const access = await readAccess(rt, cp.id).catch(() => undefined);
  if (!port || !access) return out;
  const cpStatus = out[0]!;
  cpStatus.apiserver = (await probe(port, access.caPem)) === 200 ? 'Running' : 'Stopped';
  cpStatus.kubeconfig = kubeconfigState(profile, { server: `https://127.0.0.1:${port}`, ...access }, o.kubeconfig ?? kubeconfigPath(o.env));
  if (cpStatus.apiserver !== 'Running') return out;
  const client = new KubeClient({ server: `https://127.0.0.1:${port}`, caPem: access.caPem, token: access.token });
  try {
    const list = await client.list(R.nodes);
    for (const s of out) {
      const node = list.items.find((i) => i.metadata.name === s.name);
      const ready = (node?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
      if (s.host === 'Running' && ready) s.kubelet = 'Running';
    }
  } catch { /* kubelet stays Stopped */ } finally {
    client.close();
  }
  return out;
}

/** Configured when the profile's context says the live server, CA and token. */
function kubeconfigState(profile: string, live: { server: string; caPem: string; token: string }, path: string): State {
  try {
    return contextProblems(readConfig(path), profile, live).length === 0 ? 'Configured' : 'Misconfigured';
  } catch {
    return 'Misconfigured';
  }
}
