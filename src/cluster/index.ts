// src/cluster's one public face, in the manner of kind's cluster.Provider: a Cluster is a
// profile's cluster on the local container engine, opened by name, and every lifecycle verb of
// mk (start, stop, delete, status, nodes, images, ip, ssh, tunnel, proxy rules, addons) is one
// of its methods. Commands, src/cli, src/ui and the benches use only this module; everything
// else in src/cluster is its implementation. The methods load their implementation on first
// use, so opening a Cluster costs nothing and `mk ip` never loads the image builder.
import type { Addon, AddonRow } from '../addons/index.ts';
import type { RulesSnapshot } from '../agent/proxy/rules.ts';
import type { KubeClient } from '../client/index.ts';
import type { Output } from '../lib/output.ts';
import type { Runtime } from '../runtime/types.ts';
import type { NewNode } from './node-plan.ts';
import type { ProfileRow } from './profile-list.ts';
import type { SshOptions, Terminal } from './ssh.ts';
import type { StartOptions, StartResult } from './start.ts';
import type { NodeStatus } from './status.ts';
import type { NodeRules } from './proxy-rules.ts';
import type { StepReporter } from './steps/runner.ts';
import type { ContextRepair } from './kube-context.ts';

export type { Addon, AddonRow, NewNode, NodeRules, NodeStatus, ProfileRow, RulesSnapshot, SshOptions, StartOptions, StartResult, StepReporter, Terminal, ContextRepair };
export { DEFAULT_PROFILE, checkProfileName } from './names.ts';
export { formatSeconds, plainReporter } from './steps/runner.ts';
export { MK_VERSION, KUBERNETES_VERSION } from './version.ts';

/** What every cluster operation runs against. */
export interface ClusterEnv {
  /** the container engine (default: the local Docker engine) */
  rt?: Runtime;
  /** whose ~/.mk and kubeconfig: $HOME, $KUBECONFIG (default: this process's) */
  env?: NodeJS.ProcessEnv;
  /** the kubeconfig file (default: $KUBECONFIG's first file or ~/.kube/config) */
  kubeconfig?: string;
  /** where progress and result lines go (default: nowhere) */
  out?: (text: string) => void;
}

async function runtimeOf(e: ClusterEnv): Promise<Runtime> {
  if (e.rt) return e.rt;
  const { dockerRuntime } = await import('../runtime/index.ts');
  return dockerRuntime();
}

const envOf = (e: ClusterEnv) => e.env ?? process.env;
const outOf = (e: ClusterEnv) => e.out ?? (() => undefined);

/** The profile commands act on without -p: the current kubectl context when it is an mk
 * cluster's, else the one `mk profile NAME` recorded, else `mk`. Reads files only. */
export async function defaultProfile(e: ClusterEnv = {}): Promise<string> {
  const { defaultProfile: decide } = await import('./default-profile.ts');
  return decide({ env: envOf(e), kubeconfig: e.kubeconfig });
}

/** `mk profile NAME`: record NAME as the default profile and make its context current. Returns
 * false (recording nothing) when no cluster of that name was ever started. */
export async function setDefaultProfile(name: string, e: ClusterEnv = {}): Promise<{ known: boolean; contextSet: boolean; kubeconfig: string }> {
  const { useProfile } = await import('./default-profile.ts');
  return useProfile(name, { env: envOf(e), kubeconfig: e.kubeconfig });
}

/** Every profile (recorded, or with containers carrying its label) and its state; `current` marks the active one. */
export async function listProfiles(e: ClusterEnv = {}): Promise<ProfileRow[]> {
  const { profileRows } = await import('./profile-list.ts');
  return profileRows(await runtimeOf(e), envOf(e), await defaultProfile(e));
}

/** `mk delete --all`: every cluster's containers, network, volume, context and profile file. */
export async function deleteAllClusters(e: ClusterEnv = {}): Promise<void> {
  const { deleteAllClusters: del } = await import('./lifecycle.ts');
  await del({ rt: await runtimeOf(e), env: envOf(e), kubeconfig: e.kubeconfig, out: outOf(e) });
}

export class Cluster {
  readonly profile: string;
  private readonly e: ClusterEnv;

  private constructor(profile: string, e: ClusterEnv) {
    this.profile = profile;
    this.e = e;
  }

  /** The cluster of `profile` (nothing is asked of the engine until a method runs). */
  static open(profile: string, e: ClusterEnv = {}): Cluster {
    return new Cluster(profile, e);
  }

  private async lifecycleEnv() {
    return { rt: await runtimeOf(this.e), env: envOf(this.e), kubeconfig: this.e.kubeconfig, out: outOf(this.e) };
  }

  /** Create (or start again, or leave running and repair its context) with the given options;
   * each step is reported as it runs. A failed start of a new cluster removes what it made. */
  async start(o: Omit<Partial<StartOptions>, 'profile' | 'env' | 'kubeconfig'>, report: StepReporter): Promise<StartResult> {
    const { startCluster, startOptions } = await import('./start.ts');
    return startCluster(startOptions({ ...o, profile: this.profile, env: envOf(this.e), kubeconfig: this.e.kubeconfig }), report, await runtimeOf(this.e));
  }

  /** Stop the nodes, then the pods; the objects stay on the volume. Returns the nodes stopped. */
  async stop(): Promise<number> {
    const { stopCluster } = await import('./lifecycle.ts');
    return stopCluster(this.profile, await this.lifecycleEnv());
  }

  /** Remove everything of the cluster; false when there was nothing. */
  async delete(): Promise<boolean> {
    const { deleteCluster } = await import('./lifecycle.ts');
    return deleteCluster(this.profile, await this.lifecycleEnv());
  }

  /** minikube's per-node status (host, kubelet, apiserver, kubeconfig). */
  async status(): Promise<NodeStatus[]> {
    const { clusterStatus } = await import('./status.ts');
    return clusterStatus(await runtimeOf(this.e), this.profile, { env: envOf(this.e), kubeconfig: this.e.kubeconfig });
  }

  /** Rewrite the kubeconfig context when it no longer reaches the running cluster; make it current. */
  async updateContext(): Promise<ContextRepair & { port: number }> {
    const { liveAccess, repairContext } = await import('./kube-context.ts');
    const { kubeconfigPath } = await import('../kubeconfig/index.ts');
    const live = await liveAccess(await runtimeOf(this.e), this.profile);
    const path = this.e.kubeconfig ?? kubeconfigPath(envOf(this.e));
    return { ...repairContext(path, this.profile, live, { makeCurrent: true }), port: live.port };
  }

  /** A node's address on the cluster network (default: the control plane's), asked of the engine. */
  async ip(node?: string): Promise<string> {
    const { nodeAddress } = await import('./ssh.ts');
    return nodeAddress(await runtimeOf(this.e), this.profile, node);
  }

  /** The control plane's address as `mk start` recorded it (no engine call; for hosts whose
   * engine is out of reach, e.g. under sudo). */
  async controlPlaneIP(): Promise<string> {
    const { recordedControlPlaneIP } = await import('./profile.ts');
    return recordedControlPlaneIP(this.profile, envOf(this.e));
  }

  /** A command (default: a login shell) in a node; its exit code. */
  async ssh(o: SshOptions, term: Terminal): Promise<number> {
    const { sshNode } = await import('./ssh.ts');
    return sshNode(await runtimeOf(this.e), this.profile, o, term);
  }

  /** Every node with its address. */
  async nodes(): Promise<Array<{ name: string; ip: string }>> {
    const { listNodes } = await import('./node-ops.ts');
    return listNodes(this.profile, await this.lifecycleEnv());
  }

  /** A new worker, joined and Ready when this returns. */
  async addNode(o: { worker?: boolean } = {}): Promise<NewNode> {
    const { addNode } = await import('./node-ops.ts');
    return addNode(this.profile, o, await this.lifecycleEnv());
  }

  /** Drain and remove a worker; returns its name. */
  async deleteNode(name: string): Promise<string> {
    const { deleteNode } = await import('./node-ops.ts');
    return deleteNode(this.profile, name, await this.lifecycleEnv());
  }

  /** The images the cluster's pods can use (they run on the same engine). */
  async images(): Promise<string[]> {
    const { listClusterImages } = await import('./images.ts');
    return listClusterImages(await runtimeOf(this.e), this.profile);
  }

  /** An image name or a `docker save` tar made usable by the pods; the names loaded. */
  async loadImage(arg: string): Promise<string[]> {
    const { loadClusterImage } = await import('./images.ts');
    return loadClusterImage(await runtimeOf(this.e), this.profile, arg, outOf(this.e));
  }

  /** `docker build` of a folder, tagged, on the cluster's engine. */
  async buildImage(o: { tag: string; dir: string }): Promise<void> {
    const { buildClusterImage } = await import('./images.ts');
    await buildClusterImage(await runtimeOf(this.e), this.profile, o, outOf(this.e));
  }

  /** What a node's proxy serves (default: the control plane's). */
  async proxyRules(node?: string): Promise<RulesSnapshot> {
    const { fetchRules } = await import('./proxy-rules.ts');
    return fetchRules(await runtimeOf(this.e), this.profile, node);
  }

  /** What every node's proxy serves, with its counters (`mk dashboard`'s traffic, each second):
   * one answer per node, or why that node gave none. */
  async proxyRulesOfEveryNode(): Promise<NodeRules[]> {
    const { fetchEveryNodeRules } = await import('./proxy-rules.ts');
    return fetchEveryNodeRules(await runtimeOf(this.e), this.profile);
  }

  /** `mk tunnel`: route the service range from this host and give LoadBalancer Services external
   * IPs, until `signal` aborts; then undo both. Needs root. */
  async tunnel(client: KubeClient, out: Output, signal: AbortSignal): Promise<void> {
    const { runTunnel } = await import('./tunnel/tunnel.ts');
    const { ipRoute, isRoot } = await import('./tunnel/route.ts');
    await runTunnel(client, { profile: this.profile }, { route: ipRoute(), isRoot, nodeIp: () => this.controlPlaneIP(), pid: process.pid }, out, signal);
  }

  /** Every addon mk has, and its state in this cluster (kept in the cluster). */
  async addons(): Promise<AddonRow[]> {
    const { addonRows } = await import('../addons/index.ts');
    return this.withClient((c) => addonRows(c));
  }

  /** Enable an addon; resolves once it serves (each node's agent answers), or throws after timeoutMs. */
  async enableAddon(name: string, o: { timeoutMs?: number } = {}): Promise<Addon> {
    const { findAddon } = await import('../addons/index.ts');
    const addon = findAddon(name);
    await this.withClient(async (c) => {
      await addon.enable(c);
      await addon.ready?.(c, o);
    });
    return addon;
  }

  /** Disable an addon: its state goes, and what it served stops. */
  async disableAddon(name: string): Promise<Addon> {
    const { findAddon } = await import('../addons/index.ts');
    const addon = findAddon(name);
    await this.withClient((c) => addon.disable(c));
    return addon;
  }

  /** The host ports `mk start` recorded (API server, HTTP, HTTPS on 127.0.0.1), if any. */
  async hostPorts(): Promise<{ apiserver: number; http: number; https: number } | undefined> {
    const { loadProfile } = await import('./profile.ts');
    return loadProfile(this.profile, envOf(this.e))?.ports;
  }

  private async withClient<T>(f: (c: KubeClient) => Promise<T>): Promise<T> {
    const client = await this.client();
    try {
      return await f(client);
    } finally {
      client.close();
    }
  }

  /** An API client for the running cluster, from its published port and its credentials. */
  async client(): Promise<KubeClient> {
    const { connectCluster } = await import('./cluster-client.ts');
    return (await connectCluster(await runtimeOf(this.e), this.profile)).client;
  }

  /** Whether `mk start` made a cluster of this name: undefined when never, else its state. */
  async state(): Promise<'running' | 'stopped' | 'recorded' | undefined> {
    const { loadProfile } = await import('./profile.ts');
    const { findNodes } = await import('./nodes.ts');
    const nodes = await findNodes(await runtimeOf(this.e), this.profile).catch(() => []);
    if (nodes.length > 0) return nodes[0]!.running ? 'running' : 'stopped';
    return loadProfile(this.profile, envOf(this.e)) ? 'recorded' : undefined;
  }
}

/** Whether a profile file records a cluster `mk start` made under this name (no engine call). */
export async function isRecorded(profile: string, e: ClusterEnv = {}): Promise<boolean> {
  const { loadProfile } = await import('./profile.ts');
  return loadProfile(profile, envOf(e)) !== undefined;
}

/** `sudo mk tunnel` acts for the user who ran sudo: their $HOME, so their kubeconfig and ~/.mk. */
export async function invokingUserEnv(): Promise<NodeJS.ProcessEnv> {
  const { invokingUserEnv: env } = await import('./tunnel/sudo.ts');
  return env();
}
