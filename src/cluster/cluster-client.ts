// An API client for a running profile, from the host: the control plane's published API server
// port (read from Docker) and the CA + token on its state volume. For host-side operations
// that need the API (node add/delete); refuses with a hint when the cluster is not running.
import type { Runtime } from '../agent/runtime/types.ts';
import { KubeClient } from '../client/index.ts';
import { UserError } from '../lib/errors.ts';
import { readAccess } from './access.ts';
import { profileNotFound } from './lifecycle.ts';
import { APISERVER_PORT } from './names.ts';
import { findNodes, type NodeContainer } from './nodes.ts';

export interface ClusterConnection {
  client: KubeClient;
  /** the profile's node containers, control plane first */
  nodes: NodeContainer[];
  apiServerPort: number;
}

export async function connectCluster(rt: Runtime, profile: string): Promise<ClusterConnection> {
  const nodes = await findNodes(rt, profile);
  if (nodes.length === 0) throw profileNotFound(profile);
  const cp = nodes[0]!;
  const notRunning = () => new UserError(`the "${profile}" cluster is not running`, `Start it with "mk start -p ${profile}".`);
  if (cp.role !== 'control-plane' || !cp.running) throw notRunning();
  const st = await rt.inspectContainer(cp.id);
  const port = st.publishedPorts.find((p) => p.containerPort === APISERVER_PORT)?.hostPort;
  const access = await readAccess(rt, cp.id).catch(() => undefined);
  if (!port || !access) throw notRunning();
  return { client: new KubeClient({ server: `https://127.0.0.1:${port}`, caPem: access.caPem, token: access.token }), nodes, apiServerPort: port };
}
