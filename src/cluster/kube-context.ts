// A running cluster's kubeconfig context: what it must say (https://127.0.0.1:<the API server's
// published host port>, the cluster CA, the bearer token: read from Docker and the control
// plane's volume), what the user's kubeconfig says instead, and the repair (`mk update-context`,
// `mk start` on a running cluster, as minikube's UpdateEndpoint). Other entries of the file and
// the context's namespace are kept.
import type { Runtime } from '../runtime/types.ts';
import { mergeCluster, readConfig, writeConfig, MK_PROVIDER, type KubeConfig } from '../kubeconfig/index.ts';
import { UserError } from '../lib/errors.ts';
import { readAccess } from './access.ts';
import { profileNotFound } from './lifecycle.ts';
import { APISERVER_PORT } from '../api/network.ts';
import { findNodes, type NodeContainer } from './nodes.ts';
import { MK_VERSION } from './version.ts';

export interface LiveAccess {
  /** the API server's host port on 127.0.0.1 */
  port: number;
  server: string;
  caPem: string;
  token: string;
  /** the profile's node containers, control plane first */
  nodes: NodeContainer[];
}

/** What a client needs to reach the running cluster now; a UserError with a hint when it is not running. */
export async function liveAccess(rt: Runtime, profile: string): Promise<LiveAccess> {
  const nodes = await findNodes(rt, profile);
  if (nodes.length === 0) throw profileNotFound(profile);
  const cp = nodes[0]!;
  const notRunning = () => new UserError(`the "${profile}" cluster is not running`, `Start it with "mk start -p ${profile}".`);
  if (cp.role !== 'control-plane' || !cp.running) throw notRunning();
  const st = await rt.inspectContainer(cp.id);
  const port = st.publishedPorts.find((p) => p.containerPort === APISERVER_PORT)?.hostPort;
  const access = await readAccess(rt, cp.id).catch(() => undefined);
  if (!port || !access) throw notRunning();
  return { port, server: `https://127.0.0.1:${port}`, caPem: access.caPem, token: access.token, nodes };
}

/** Which parts of the profile's context differ from the live cluster (none: Configured). */
export type ContextProblem = 'context' | 'server' | 'certificate-authority' | 'token';

export function contextProblems(cfg: KubeConfig, profile: string, live: Pick<LiveAccess, 'server' | 'caPem' | 'token'>): ContextProblem[] {
  const ctx = cfg.contexts.find((c) => c.name === profile);
  const cluster = ctx && cfg.clusters.find((c) => c.name === ctx.context.cluster);
  const user = ctx && cfg.users.find((u) => u.name === ctx.context.user);
  if (!ctx || !cluster || !user) return ['context'];
  const out: ContextProblem[] = [];
  if (cluster.cluster.server !== live.server) out.push('server');
  const ca = cluster.cluster['certificate-authority-data'];
  if (typeof ca !== 'string' || Buffer.from(ca, 'base64').toString('utf8').trim() !== live.caPem.trim()) out.push('certificate-authority');
  if (user.user.token !== live.token) out.push('token');
  return out;
}

export interface ContextRepair {
  /** the entries were rewritten */
  updated: boolean;
  /** the context is now the current one */
  current: boolean;
}

/** Rewrites the profile's entries when they differ from the live cluster (keeping the context's
 * namespace), and makes the context current when asked. */
export function repairContext(path: string, profile: string, live: Pick<LiveAccess, 'server' | 'caPem' | 'token'>, o: { makeCurrent: boolean }): ContextRepair {
  const cfg = readConfig(path);
  const stale = contextProblems(cfg, profile, live).length > 0;
  const wasCurrent = cfg['current-context'] === profile;
  if (!stale && (wasCurrent || !o.makeCurrent)) return { updated: false, current: wasCurrent };
  const namespace = cfg.contexts.find((c) => c.name === profile)?.context.namespace;
  const next = stale
    ? mergeCluster(cfg, { profile, server: live.server, caPem: live.caPem, token: live.token, namespace, extension: { provider: MK_PROVIDER, version: MK_VERSION } }, { makeCurrent: o.makeCurrent })
    : { ...cfg, 'current-context': profile };
  writeConfig(path, next);
  return { updated: stale, current: o.makeCurrent || wasCurrent };
}
