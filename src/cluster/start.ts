// `mk start`: bring a profile's cluster up. A new cluster runs every step (Docker, network,
// volume, node image, node containers, API server, nodes Ready, kubeconfig + profile); a
// stopped one runs the same steps against its existing objects (the store on the volume brings
// every object back; nodes of another mk's image are rolled to this mk's); a running one is left
// as it is, but for its kubeconfig context, which is repaired when it no longer says how to reach
// the cluster, and it is said to be another mk's when its nodes run another node image.
import { dockerRuntime } from '../runtime/index.ts';
import type { Runtime } from '../runtime/types.ts';
import { PACKAGE_ROOT } from './image/index.ts';
import { nodeImageOf } from './image/launch.ts';
import { checkProfileName, DEFAULT_PROFILE } from './names.ts';
import { findNodes } from './nodes.ts';
import { contextProblems, liveAccess, repairContext } from './kube-context.ts';
import { kubeconfigPath, readConfig } from '../kubeconfig/index.ts';
import { loadProfile } from './profile.ts';
import { checkDocker } from './steps/docker.ts';
import { nodeImage } from './steps/image.ts';
import { writeKubeconfig } from './steps/kubeconfig.ts';
import { createNetwork, createVolume } from './steps/network.ts';
import { nodeStep } from './steps/nodes.ts';
import { runSteps, type StepEntry, type StepReporter } from './steps/runner.ts';
import { waitApiServer, waitNodesReady } from './steps/wait.ts';
import type { StartContext, StartOptions } from './steps/context.ts';
import { MK_VERSION } from './version.ts';
import { UserError } from '../lib/errors.ts';
import { runningExecutable } from '../lib/executable.ts';
import { PROXY_MODES } from '../api/network.ts';

export type { StartOptions } from './steps/context.ts';

export interface StartResult {
  /** `running`: it was already up and nothing changed */
  outcome: 'created' | 'restarted' | 'running';
  profile: string;
  nodes: number;
  kubeconfigPath?: string;
  apiServerPort?: number;
  /** `running` only: the context was stale (server, CA or token) and has been rewritten */
  contextUpdated?: boolean;
  /** a running cluster's node image when it is not this mk's (`mine`) */
  otherVersion?: { running: string; mine: string };
}

export function defaultDockerSocket(env: NodeJS.ProcessEnv = process.env): string {
  const h = env.DOCKER_HOST;
  if (h?.startsWith('unix://')) return h.slice('unix://'.length);
  return '/var/run/docker.sock';
}

export function startOptions(p: Partial<StartOptions>): StartOptions {
  const nodes = p.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 99) throw new UserError(`--nodes must be between 1 and 99, not ${nodes}`);
  if (p.proxyMode !== undefined && !PROXY_MODES.includes(p.proxyMode)) {
    throw new UserError(`--proxy-mode must be ${PROXY_MODES.join(' or ')}, not "${p.proxyMode}"`);
  }
  return {
    profile: checkProfileName(p.profile ?? DEFAULT_PROFILE),
    nodes,
    subnet: p.subnet,
    proxyMode: p.proxyMode,
    keepContext: p.keepContext ?? false,
    wait: p.wait ?? true,
    kubeconfig: p.kubeconfig,
    env: p.env ?? process.env,
    version: p.version ?? MK_VERSION,
    packageRoot: p.packageRoot ?? PACKAGE_ROOT,
    executable: 'executable' in p ? p.executable : runningExecutable(),
    dockerSocket: p.dockerSocket ?? defaultDockerSocket(p.env),
    waitTimeoutMs: p.waitTimeoutMs ?? 120_000,
  };
}

/** The steps of `mk start`, in order; the node steps follow the plan made by checkDocker. */
export function startSteps(o: StartOptions): StepEntry<StartContext>[] {
  return [
    checkDocker, createNetwork, createVolume, nodeImage,
    (ctx) => ctx.nodes.map(nodeStep),
    waitApiServer,
    ...(o.wait ? [waitNodesReady] : []),
    writeKubeconfig,
  ];
}

export async function startCluster(o: StartOptions, report: StepReporter, rt: Runtime = dockerRuntime()): Promise<StartResult> {
  const existing = await findNodes(rt, o.profile).catch(() => []);
  if (existing.length > 0 && existing.every((n) => n.running)) {
    const mine = nodeImageOf(o);
    const other = existing.find((n) => n.summary.image !== mine)?.summary.image;
    const running: StartResult = {
      outcome: 'running', profile: o.profile, nodes: existing.length, apiServerPort: loadProfile(o.profile, o.env)?.ports.apiserver,
      ...(other ? { otherVersion: { running: other, mine } } : {}),
    };
    // an API server that has not written its credentials yet has nothing to repair the context with
    const live = await liveAccess(rt, o.profile).catch(() => undefined);
    if (!live) return running;
    const path = o.kubeconfig ?? kubeconfigPath(o.env);
    if (contextProblems(readConfig(path), o.profile, live).length === 0) return { ...running, apiServerPort: live.port };
    repairContext(path, o.profile, live, { makeCurrent: !o.keepContext });
    return { ...running, apiServerPort: live.port, kubeconfigPath: path, contextUpdated: true };
  }
  const ctx: StartContext = {
    o, rt, startedAt: Date.now(), existing, previous: loadProfile(o.profile, o.env), nodes: [], created: { network: false, volume: false, containers: [] },
  };
  await runSteps(startSteps(o), ctx, report);
  return { outcome: existing.length > 0 ? 'restarted' : 'created', profile: o.profile, nodes: ctx.nodes.length, kubeconfigPath: ctx.kubeconfigPath, apiServerPort: ctx.ports?.apiserver };
}
