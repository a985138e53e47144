// The kubelet: runs the pods bound to one node as Docker containers (a sandbox holding the
// network namespace + one container per spec.containers[i]), reports their status, registers
// the Node and keeps its heartbeat, mounts their volumes (volumes/: emptyDir, configMap, secret, projected with service account
// tokens (sa-token.ts), hostPath, claims),
// and serves exec / attach / port-forward / logs for them. Every pass
// is level-triggered from the informer cache and Docker's labels, so a restarted agent picks
// up where it was. It talks to Docker only through src/runtime; it never touches
// containers without its cluster and node labels.
import { isMirrorPod } from '../dns/mirror.ts';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { KubeObject } from '../../api/types.ts';
import { InformerFactory } from '../../client/informer.ts';
import { realClock, type Clock } from '../../controllers/clock.ts';
import type { AttachBackend, ExecBackend, PortForwardBackend } from '../../apiserver/streams/types.ts';
import type { LogsBackend } from '../../apiserver/handlers/pods.ts';
import { LABELS } from '../../runtime/labels.ts';
import type { ContainerSummary, Runtime } from '../../runtime/types.ts';
import { kubeletEventSink, type KubeletClient, type KubeletContext } from './context.ts';
import { PodIPAllocator } from './ipam.ts';
import { startNodeAgent } from './node.ts';
import { PodSyncer } from './pod-sync.ts';
import { makeStreams, type ContainerLogOptions } from './streams.ts';
import { podTokenSource } from './sa-token.ts';
import { VolumeLayout, type VolumeRoot } from './volumes/layout.ts';
import { VolumeManager } from './volumes/manager.ts';
import type { TokenSource } from './volumes/token.ts';
import type { Readable } from 'node:stream';
import { R } from '../../api/resources.ts';
import { CLUSTER_DOMAIN } from '../../api/network.ts';

export type { ContainerLogOptions } from './streams.ts';
export type { KubeletClient } from './context.ts';
export type { VolumeRoot } from './volumes/layout.ts';
export type { TokenSource } from './volumes/token.ts';

export interface KubeletOptions {
  client: KubeletClient;
  runtime: Runtime;
  nodeName: string;
  nodeIP: string;
  /** this node's pod range, e.g. 10.244.1.0/24 */
  podCIDR: string;
  clusterName: string;
  networkName: string;
  serviceCIDR: string;
  dnsIP: string;
  clusterDomain?: string;
  clock?: Clock;
  /** an image with sh and ip (busybox test image or the node image) */
  sandboxImage: string;
  controlPlane?: boolean;
  /** `docker://<engine version>` for nodeInfo */
  runtimeVersion?: string;
  /** added to every container made (tests: mk.test) */
  labels?: Record<string, string>;
  /** how often every pod is looked at again (default 1000 ms) */
  resyncMs?: number;
  /** where pod volumes keep their data (the node's state volume, as the agent and as the engine see it) */
  volumeRoot: VolumeRoot;
  /** service account tokens for projected volumes (default: TokenRequests to the API server) */
  tokenSource?: TokenSource;
  onError?: (e: unknown) => void;
}

export interface RunningKubelet {
  execBackend: ExecBackend;
  attachBackend: AttachBackend;
  portForwardBackend: PortForwardBackend;
  logsBackend: LogsBackend;
  logs(ns: string, pod: string, container: string, opts?: ContainerLogOptions): Promise<Readable>;
  /** resolves once the pod informer has listed and the node is registered */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** The node's allocatable cpu and memory (what node.ts reports): the value of an unset limit. */
function nodeAllocatable(): Record<string, string> {
  return { cpu: String(os.cpus().length), memory: `${Math.floor(os.totalmem() / 1024)}Ki` };
}

function hostResolv(): string {
  try { return readFileSync('/etc/resolv.conf', 'utf8'); } catch { return ''; }
}

export function startKubelet(o: KubeletOptions): RunningKubelet {
  const clock = o.clock ?? realClock;
  const onError = o.onError ?? ((e: unknown) => console.error('kubelet:', e));
  const ctx: KubeletContext = {
    client: o.client, runtime: o.runtime, clock, nodeName: o.nodeName, nodeIP: o.nodeIP, clusterName: o.clusterName,
    networkName: o.networkName, serviceCIDR: o.serviceCIDR, sandboxImage: o.sandboxImage,
    dns: { dnsIP: o.dnsIP, clusterDomain: o.clusterDomain ?? CLUSTER_DOMAIN, hostResolvConf: hostResolv() },
    labels: o.labels ?? {},
    onError,
    event: kubeletEventSink(o.client, clock, o.nodeName, onError),
  };
  const ipam = new PodIPAllocator(o.podCIDR);
  const informers = new InformerFactory(o.client, { onError });
  const pods = new InformerFactory(o.client, { onError, fieldSelector: `spec.nodeName=${o.nodeName}` }).for(R.pods);
  const services = informers.for(R.services);
  const [configMaps, secrets, claims, pvs] = [R.configmaps, R.secrets, R.persistentvolumeclaims, R.persistentvolumes].map((r) => informers.for(r));
  const tokens: TokenSource & { forget?(podUid: string): void } = o.tokenSource ?? podTokenSource(o.client, clock);
  const volumes = new VolumeManager(ctx, new VolumeLayout(o.volumeRoot, o.nodeName), {
    configMap: (ns, n) => configMaps!.get(ns, n),
    secret: (ns, n) => secrets!.get(ns, n),
    claim: (ns, n) => claims!.get(ns, n),
    persistentVolume: (n) => pvs!.get(undefined, n),
    tokens,
    allocatable: nodeAllocatable(),
  });
  const syncer = new PodSyncer(ctx, ipam, volumes);
  syncer.services = () => services.list();
  const mine = { [LABELS.cluster]: o.clusterName, [LABELS.node]: o.nodeName };

  let stopped = false;
  let running = false;
  let again = false;
  let timer: unknown;
  let seeded = false;
  let passes = 0;
  const lastSeen = new Map<string, KubeObject>();
  /** the last copy of a vanished pod, for its grace period and events; never deleted again */
  const gone = (p: KubeObject | undefined): KubeObject | undefined =>
    p && { ...p, metadata: { ...p.metadata, deletionTimestamp: undefined } };

  async function pass(): Promise<void> {
    const all = await o.runtime.listContainers(mine, true);
    const byUid = new Map<string, ContainerSummary[]>();
    for (const c of all) {
      const uid = c.labels[LABELS.podUid];
      if (!uid) continue;
      (byUid.get(uid) ?? byUid.set(uid, []).get(uid)!).push(c);
    }
    if (!seeded) {
      // rebuild the IP table from sandboxes that survived an agent restart
      for (const c of all) {
        if (c.labels[LABELS.sandbox] !== 'true' || c.state !== 'running') continue;
        const st = await o.runtime.inspectContainer(c.id).catch(() => undefined);
        const ip = st?.ips[o.networkName];
        if (ip) ipam.reserve(ip, c.labels[LABELS.podUid]!);
      }
      seeded = true;
    }
    const live = new Map<string, KubeObject>();
    // mirror pods (the agent's own, kubernetes.io/config.mirror) describe what already runs: never run them
    for (const p of pods.list()) if (p.metadata.uid && !isMirrorPod(p)) live.set(p.metadata.uid, p);
    for (const [uid, p] of live) lastSeen.set(uid, p);
    const work: Promise<void>[] = [];
    // a pod deleted outright (no graceful deletion): stop with the grace period it last had
    for (const [uid, cs] of byUid) if (!live.has(uid)) syncer.kill(uid, cs, gone(lastSeen.get(uid)));
    for (const uid of [...lastSeen.keys()]) if (!live.has(uid) && !byUid.has(uid)) lastSeen.delete(uid);
    for (const [uid, p] of live) work.push(syncer.sync(p, byUid.get(uid) ?? []).catch(onError));
    await Promise.all(work);
    // now and then, the volumes of pods that are gone (a crash, a restart of the agent)
    if (passes++ % 60 === 0) {
      const keep = new Set([...live.keys(), ...byUid.keys()].filter((uid) => uid));
      for (const uid of lastSeen.keys()) if (syncer.isTerminating(uid)) keep.add(uid);
      await volumes.collect(keep).catch(onError);
      for (const uid of [...lastSeen.keys()]) if (!keep.has(uid)) tokens.forget?.(uid);
    }
  }

  function kick(delay = 0): void {
    if (stopped) return;
    if (running) { again = true; return; }
    clock.clearTimeout(timer);
    timer = clock.setTimeout(() => void loop(), delay);
  }

  async function loop(): Promise<void> {
    if (stopped || !pods.hasSynced()) { if (!stopped) kick(o.resyncMs ?? 1000); return; }
    running = true;
    try { await pass(); } catch (e) { onError(e); }
    running = false;
    if (again) { again = false; kick(0); } else kick(o.resyncMs ?? 1000);
  }

  pods.addHandlers({ onAdd: () => kick(), onUpdate: () => kick(), onDelete: () => kick() });
  // an edited ConfigMap or Secret, a claim bound: its pods' volumes are brought up to date at once
  for (const inf of [configMaps!, secrets!, claims!, pvs!]) inf.addHandlers({ onAdd: () => kick(), onUpdate: () => kick() });
  informers.start();
  pods.start();

  // a container that dies is looked at right away, not at the next resync
  const events = new AbortController();
  void (async () => {
    try {
      for await (const ev of o.runtime.events(mine, events.signal)) if (ev.action === 'die' || ev.action === 'start') kick();
    } catch (e) {
      if (!events.signal.aborted) onError(e);
    }
  })();

  let registered!: () => void;
  const nodeRegistered = new Promise<void>((r) => { registered = r; });
  const stopNode = startNodeAgent(ctx, {
    nodeName: o.nodeName, nodeIP: o.nodeIP, podCIDR: o.podCIDR, controlPlane: o.controlPlane ?? false,
    runtimeVersion: o.runtimeVersion ?? 'docker://unknown',
  }, () => registered());
  kick();

  const podIP = (ns: string, name: string) => pods.get(ns, name)?.status?.podIP as string | undefined;
  const streams = makeStreams(ctx, podIP);
  return {
    execBackend: streams.execBackend,
    attachBackend: streams.attachBackend,
    portForwardBackend: streams.portForwardBackend,
    logsBackend: streams.logsBackend,
    logs: streams.logs,
    ready: Promise.all([pods.waitForSync(), nodeRegistered]).then(() => undefined),
    async stop() {
      stopped = true;
      clock.clearTimeout(timer);
      events.abort();
      stopNode();
      await Promise.all([pods.stop(), informers.stop()]);
      await syncer.drain();
    },
  };
}
