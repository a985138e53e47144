// The mk agent: what runs in each node container. The control plane runs the API server (its
// store, CA and token under <stateDir>/apiserver, on the cluster's shared volume; the garbage
// collector comes with it), the controllers and the kubelet, and routes pods/exec, attach,
// portforward and log to that kubelet. A worker waits for the control plane's CA and token on the shared
// volume and runs the kubelet against https://<control-plane IP>:6443. Everything it does is
// rebuilt from the store and Docker's labels, so a restarted agent continues where it was.
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/index.ts';
import { KubeClient } from '../client/index.ts';
import { startControllers, type RunningControllers } from '../controllers/index.ts';
import { startKubelet, type RunningKubelet } from './kubelet/index.ts';
import { startNodeDns, type NodeDns } from './dns/node.ts';
import { startNodeIngress, type NodeIngress } from './ingress/node.ts';
import { holdServiceRange, startProxy, type ProxyMode, type RunningProxy } from './proxy/index.ts';
import { dockerRuntime, LABELS, ROLES, type Runtime } from '../runtime/index.ts';
import { APISERVER_DIR } from './state-dir.ts';
import { VolumeLayout, type VolumeRoot } from './kubelet/volumes/layout.ts';
import { hostPathStore, linkNodePaths } from './kubelet/volumes/node-paths.ts';

export interface AgentOptions {
  role: 'control-plane' | 'worker';
  /** the profile name (Docker's mk.cluster label) */
  cluster: string;
  nodeName: string;
  nodeIP: string;
  podCIDR: string;
  /** the Docker network pods join */
  network: string;
  controlPlaneIP: string;
  sandboxImage: string;
  /** the node's state volume (/var/lib/mk) */
  stateDir: string;
  /** the API server's port on the control-plane node (6443) */
  port: number;
  serviceCIDR: string;
  dnsIP: string;
  /** iptables (default: kube-proxy's rules, where the node allows) or userspace */
  proxyMode?: ProxyMode;
  runtime?: Runtime;
  log?: (line: string) => void;
  /** how long a worker waits for the control plane's credentials (default: forever) */
  credentialsTimeoutMs?: number;
}

export interface RunningAgent {
  apiServer?: RunningApiServer;
  controllers?: RunningControllers;
  kubelet: RunningKubelet;
  proxy: RunningProxy;
  dns: NodeDns;
  /** the ingress addon's controller, running while the addon is enabled */
  ingress: NodeIngress;
  stop(): Promise<void>;
}

/** The CA and token the control plane wrote on the shared volume; polls until both exist. */
export async function readCredentials(stateDir: string, timeoutMs = Infinity): Promise<{ caPem: string; token: string }> {
  const dir = join(stateDir, APISERVER_DIR);
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const [caPem, token] = await Promise.all([readFile(join(dir, 'ca.crt'), 'utf8'), readFile(join(dir, 'token'), 'utf8')]);
      if (caPem.includes('END CERTIFICATE') && token.trim()) return { caPem, token: token.trim() };
    } catch { /* not written yet */ }
    if (Date.now() > end) throw new Error(`no API server credentials in ${dir} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The state volume as this agent and as the engine see it. In a node container the engine's path
 * is the mountpoint of the volume mounted at stateDir (read from the node container's mounts);
 * an agent outside a container shares the engine's file system. `inNode` says which.
 */
export async function findVolumeRoot(runtime: Runtime, o: Pick<AgentOptions, 'cluster' | 'nodeName' | 'stateDir'>): Promise<{ root: VolumeRoot; inNode: boolean }> {
  const mine = (await runtime.listContainers({ [LABELS.cluster]: o.cluster, [LABELS.node]: o.nodeName }, true))
    .filter((c) => c.labels[LABELS.role] === ROLES.controlPlane || c.labels[LABELS.role] === ROLES.worker);
  for (const c of mine) {
    const st = await runtime.inspectContainer(c.id).catch(() => undefined);
    const m = st?.mounts?.find((x) => x.destination === o.stateDir);
    if (m?.source) return { root: { local: o.stateDir, engine: m.source }, inNode: true };
  }
  return { root: { local: o.stateDir, engine: o.stateDir }, inNode: false };
}

export async function runAgent(o: AgentOptions): Promise<RunningAgent> {
  const log = o.log ?? ((l: string) => console.log(l));
  const runtime = o.runtime ?? dockerRuntime();
  const onError = (what: string) => (e: unknown) => log(`${what}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  let apiServer: RunningApiServer | undefined;
  let controllers: RunningControllers | undefined;
  let client: KubeClient;
  // the state volume holds the store, the CA key and the token (./apiserver is 0700 too)
  await mkdir(o.stateDir, { recursive: true, mode: 0o700 });
  await chmod(o.stateDir, 0o700);
  // the node holds the whole service range (the proxy's sockets receive every Service IP)
  log(`proxy: service range ${o.serviceCIDR} ${await holdServiceRange(o.serviceCIDR)} as a local route`);
  if (o.role === 'control-plane') {
    apiServer = await startApiServer({
      dataDir: join(o.stateDir, APISERVER_DIR), host: '0.0.0.0', port: o.port, extraSANs: [o.nodeIP], advertiseAddress: o.nodeIP,
    });
    log(`apiserver: listening on 0.0.0.0:${apiServer.port} (advertised ${o.nodeIP})`);
    client = new KubeClient({ server: `https://127.0.0.1:${apiServer.port}`, caPem: apiServer.caPem, token: apiServer.token });
    const layout = new VolumeLayout((await findVolumeRoot(runtime, o)).root, o.nodeName);
    controllers = startControllers(client, { onError: onError('controllers'), storage: { store: hostPathStore(layout), identity: o.nodeName } });
    log('controllers: started');
  } else {
    log(`kubelet: waiting for the control plane's credentials in ${o.stateDir}`);
    const cred = await readCredentials(o.stateDir, o.credentialsTimeoutMs);
    client = new KubeClient({ server: `https://${o.controlPlaneIP}:${o.port}`, caPem: cred.caPem, token: cred.token });
  }
  const volumes = await findVolumeRoot(runtime, o);
  log(`kubelet: pod volumes in ${o.stateDir} (${volumes.root.engine} for the engine)`);
  if (volumes.inNode) await linkNodePaths(new VolumeLayout(volumes.root, o.nodeName), log).catch(onError('kubelet'));
  const kubelet = startKubelet({
    client, runtime, nodeName: o.nodeName, nodeIP: o.nodeIP, podCIDR: o.podCIDR, clusterName: o.cluster, networkName: o.network,
    serviceCIDR: o.serviceCIDR, dnsIP: o.dnsIP, sandboxImage: o.sandboxImage, controlPlane: o.role === 'control-plane',
    volumeRoot: volumes.root, onError: onError('kubelet'),
    // what kubectl get nodes -o wide shows as CONTAINER-RUNTIME, as on minikube's docker driver
    runtimeVersion: await runtime.version().then((v) => `docker://${v}`, () => undefined),
  });
  if (apiServer) {
    // Pod containers of every node are siblings on the same engine, so this kubelet can reach them all.
    apiServer.streams.exec = kubelet.execBackend;
    apiServer.streams.attach = kubelet.attachBackend;
    apiServer.streams.portForward = kubelet.portForwardBackend;
    apiServer.streams.logs = kubelet.logsBackend;
  }
  // ClusterIP/NodePort data plane; 10.96.0.10 is the in-process DNS's, 80/443 are shared with the ingress addon
  const proxy = await startProxy(client, {
    nodeName: o.nodeName, mode: o.proxyMode ?? 'iptables', podCIDR: o.podCIDR, skipIPs: [o.dnsIP], perAddressTcpPorts: [80, 443], log, onError: onError('proxy'),
  });
  void proxy.ready.then(() => log(`proxy: serving ${proxy.table.size} Services in ${proxy.mode.mode} mode (rules on 127.0.0.1:${proxy.rulesPort()})`), onError('proxy'));
  // the cluster DNS on 10.96.0.10:53 and the agent's own Pod in kube-system that serves it
  const dns = startNodeDns({ client, nodeName: o.nodeName, nodeIP: o.nodeIP, dnsIP: o.dnsIP, log, onError: onError('dns') });
  // the ingress addon: :80/:443 on the node IP while kube-system/mk-addons says it is enabled;
  // the control plane's agent writes Ingress addresses and Events
  const ingress = startNodeIngress({ client, nodeName: o.nodeName, nodeIP: o.nodeIP, writeStatus: o.role === 'control-plane', log, onError: onError('ingress') });
  void kubelet.ready.then(() => log(`kubelet: node ${o.nodeName} registered (${o.nodeIP}, pods ${o.podCIDR})`), onError('kubelet'));
  let stopping: Promise<void> | undefined;
  return {
    apiServer,
    controllers,
    kubelet,
    proxy,
    dns,
    ingress,
    stop() {
      stopping ??= (async () => {
        await ingress.stop().catch(onError('ingress stop'));
        await dns.stop().catch(onError('dns stop'));
        await proxy.stop().catch(onError('proxy stop'));
        await kubelet.stop().catch(onError('kubelet stop'));
        await controllers?.stop().catch(onError('controllers stop'));
        client.close();
        await apiServer?.close().catch(onError('apiserver stop'));
        log('agent: stopped');
      })();
      return stopping;
    },
  };
}
