// What the `mk start` steps share: the options, the Docker runtime, and what each step chose or
// made (subnet, image, nodes, ports, API access), including what it created itself so that a
// rollback removes only that.
import type { Runtime } from '../../runtime/types.ts';
import type { ProxyMode } from '../../api/network.ts';
import type { RunningExecutable } from '../../lib/executable.ts';
import type { ApiAccess } from '../access.ts';
import type { NodeContainer } from '../nodes.ts';
import type { ClusterNet } from '../subnet.ts';
import type { PortProbe } from '../host-ports.ts';
import type { Profile } from '../profile.ts';

export interface StartOptions {
  profile: string;
  nodes: number;
  subnet?: string;
  /** --proxy-mode; on a restart, the one the cluster was made with (checkDocker settles it) */
  proxyMode?: ProxyMode;
  keepContext: boolean;
  wait: boolean;
  /** the kubeconfig file to write (default: $KUBECONFIG's first file or ~/.kube/config) */
  kubeconfig?: string;
  env: NodeJS.ProcessEnv;
  /** mk's version: the node image tag */
  version: string;
  /** the mk package bind-mounted read-only into every node (when mk runs from its sources) */
  packageRoot: string;
  /** the running mk executable, which the node image is made of; undefined from the sources */
  executable?: RunningExecutable;
  /** the engine's socket on the host, mounted into every node for its kubelet */
  dockerSocket: string;
  waitTimeoutMs: number;
  /** whether a 127.0.0.1 port is free, for the ingress ports (default: try to listen on it;
   * tests give the fake engine's view) */
  portProbe?: PortProbe;
}

export interface PlannedNode {
  /** 1 = control plane */
  index: number;
  name: string;
  role: 'control-plane' | 'worker';
  ip: string;
  podCIDR: string;
  /** the existing container (restart) */
  existing?: NodeContainer;
  /** container id, once created or found */
  id?: string;
}

export interface StartContext {
  o: StartOptions;
  rt: Runtime;
  /** when this start began (ms since the epoch) */
  startedAt: number;
  /** node containers of the profile found before starting (a restart when not empty) */
  existing: NodeContainer[];
  /** the recorded profile, on a restart */
  previous?: Profile;
  net?: ClusterNet;
  image?: string;
  /** what the node image lacks, said in its step's title */
  imageNotes?: string[];
  nodes: PlannedNode[];
  created: { network: boolean; volume: boolean; containers: string[] };
  ports?: Profile['ports'];
  access?: ApiAccess;
  kubeconfigPath?: string;
}

export function mustNet(ctx: StartContext): ClusterNet {
  if (!ctx.net) throw new Error('the subnet was not chosen');
  return ctx.net;
}
