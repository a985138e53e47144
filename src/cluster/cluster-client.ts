// An API client for a running profile, from the host: the control plane's published API server
// port (read from Docker) and the CA + token on its state volume. For host-side operations
// that need the API (node add/delete); refuses with a hint when the cluster is not running.
import type { Runtime } from '../runtime/types.ts';
import { KubeClient } from '../client/index.ts';
import { liveAccess } from './kube-context.ts';
import type { NodeContainer } from './nodes.ts';

export interface ClusterConnection {
  client: KubeClient;
  /** the profile's node containers, control plane first */
  nodes: NodeContainer[];
  apiServerPort: number;
}

export async function connectCluster(rt: Runtime, profile: string): Promise<ClusterConnection> {
  const live = await liveAccess(rt, profile);
  return { client: new KubeClient({ server: live.server, caPem: live.caPem, token: live.token }), nodes: live.nodes, apiServerPort: live.port };
}
