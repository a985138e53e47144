// Node registration and heartbeat: creates the Node object for this kubelet (labels, podCIDR,
// addresses, capacity from the machine, nodeInfo) and refreshes its conditions every 10 s, the
// heartbeat the node lifecycle controller watches, renewing the node's Lease with it (lease.ts).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { KubeObject } from '../../api/types.ts';
import { rfc3339 } from '../../controllers/clock.ts';
import { type KubeletContext } from './context.ts';
import { R } from '../../api/resources.ts';
import { isNotFound } from '../../api/status.ts';
import { renewLease } from './lease.ts';

export const KUBELET_VERSION = 'v1.33.0';
export const HEARTBEAT_MS = 10_000;

export interface NodeIdentity {
  nodeName: string;
  nodeIP: string;
  podCIDR: string;
  controlPlane: boolean;
  runtimeVersion: string;
}

function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1]!;
  } catch { /* not Linux */ }
  return `${os.type()} ${os.release()}`;
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

/** The Node object for this machine (pure but for reading the machine's facts). */
export function nodeObject(id: NodeIdentity, nowMs: number, prev?: KubeObject): KubeObject {
  const arch = ARCH[process.arch] ?? process.arch;
  const labels: Record<string, string> = {
    ...(prev?.metadata.labels ?? {}),
    'kubernetes.io/hostname': id.nodeName,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': arch,
  };
  if (id.controlPlane) labels['node-role.kubernetes.io/control-plane'] = '';
  const capacity = {
    cpu: String(os.cpus().length),
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    pods: '110',
    'ephemeral-storage': '61255492Ki',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { ...(prev?.metadata ?? {}), name: id.nodeName, labels },
    spec: { ...(prev?.spec ?? {}), podCIDR: id.podCIDR, podCIDRs: [id.podCIDR] },
    status: {
      capacity,
      allocatable: capacity,
      conditions: nodeConditions(nowMs, prev),
      addresses: [{ type: 'InternalIP', address: id.nodeIP }, { type: 'Hostname', address: id.nodeName }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: '', systemUUID: '', bootID: '',
        kernelVersion: os.release(),
        osImage: osImage(),
        containerRuntimeVersion: id.runtimeVersion,
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: arch,
      },
    },
  };
}

const CONDS: Array<[string, string, string, string]> = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

export function nodeConditions(nowMs: number, prev?: KubeObject): unknown[] {
  const now = rfc3339(nowMs);
  const old = (prev?.status?.conditions ?? []) as Array<{ type: string; status: string; lastTransitionTime?: string }>;
  return CONDS.map(([type, status, reason, message]) => {
    const o = old.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: now, lastTransitionTime: o && o.status === status && o.lastTransitionTime ? o.lastTransitionTime : now, reason, message };
  });
}

/** Registers the node (create, or update an existing one) and keeps its heartbeat; returns stop(). */
export function startNodeAgent(ctx: KubeletContext, id: NodeIdentity, onRegistered?: (node: KubeObject) => void): () => void {
  let stopped = false;
  let timer: unknown;
  let registered = false;
  const beat = async () => {
    try {
      if (!registered) {
        let prev: KubeObject | undefined;
        try { prev = await ctx.client.get(R.nodes, undefined, id.nodeName); } catch (e) { if (!isNotFound(e)) throw e; }
        const want = nodeObject(id, ctx.clock.now(), prev);
        let saved: KubeObject;
        if (!prev) {
          saved = await ctx.client.create(R.nodes, undefined, want);
          ctx.event(saved, 'Normal', 'Starting', 'Starting kubelet.');
          ctx.event(saved, 'Normal', 'RegisteredNode', `Node ${id.nodeName} event: Registered Node ${id.nodeName} in Controller`);
        } else {
          saved = await ctx.client.update(R.nodes, undefined, id.nodeName, { ...want, metadata: { ...want.metadata, resourceVersion: prev.metadata.resourceVersion } });
        }
        saved = await ctx.client.patch(R.nodes, undefined, id.nodeName, { status: want.status }, 'merge', { subresource: 'status' });
        registered = true;
        onRegistered?.(saved);
        await renewLease(ctx, saved);
      } else {
        const prev = await ctx.client.get(R.nodes, undefined, id.nodeName);
        await ctx.client.patch(R.nodes, undefined, id.nodeName, { status: { conditions: nodeConditions(ctx.clock.now(), prev) } }, 'merge', { subresource: 'status' });
        await renewLease(ctx, prev);
      }
    } catch (e) {
      if (isNotFound(e)) registered = false;
      ctx.onError(e);
    }
    if (!stopped) timer = ctx.clock.setTimeout(() => void beat(), registered ? HEARTBEAT_MS : 1000);
  };
  void beat();
  return () => {
    stopped = true;
    ctx.clock.clearTimeout(timer);
  };
}
