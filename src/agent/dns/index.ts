// The cluster DNS of a node (DESIGN.md: dns, in process): informers on Services, Endpoints,
// Pods and Namespaces fill ClusterRecords; a UDP+TCP server on the DNS Service's address
// (10.96.0.10:53) answers through the chain cluster zone → forward (the node's own resolvers
// from /etc/resolv.conf). Owns src/agent/dns only; reads the API, never writes it except the
// agent's own mirror Pod (mirror.ts, written by the agent).
import { readFileSync } from 'node:fs';
import { R } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { InformerFactory, type ListWatchClient } from '../../client/informer.ts';
import { ClusterZone } from './cluster.ts';
import { Forward } from './forward.ts';
import { ClusterRecords } from './records.ts';
import { startDnsServer, type DnsServer } from './server.ts';
import { chain } from './types.ts';
import { nameservers, type Upstream } from './upstream.ts';
import { CLUSTER_DOMAIN } from '../../api/network.ts';

export { ClusterRecords } from './records.ts';
export { ClusterZone, TTL } from './cluster.ts';
export { Forward } from './forward.ts';
export { startDnsServer, Responder, type DnsServer } from './server.ts';
export { chain, type Handler, type Query, type Reply } from './types.ts';
export { writeMirrorPod, isMirrorPod, mirrorPodName, MIRROR_ANNOTATION } from './mirror.ts';

export interface ClusterDnsOptions {
  client: ListWatchClient;
  /** where to listen (default: dnsIP) */
  host?: string;
  /** default 53 */
  port?: number;
  /** the kube-dns Service's IP (10.96.0.10): never forwarded to, the A of ns.dns.<zone> */
  dnsIP: string;
  zone?: string;
  /** default: the nameservers of this process's /etc/resolv.conf, minus our own addresses */
  upstreams?: Upstream[];
  forwardTimeoutMs?: number;
  /** how long to wait for the first lists before serving anyway (default 5000 ms) */
  syncTimeoutMs?: number;
  onError?: (e: unknown) => void;
}

export interface RunningClusterDns {
  server: DnsServer;
  records: ClusterRecords;
  /** resolves once every informer has listed once */
  synced: Promise<void>;
  stop(): Promise<void>;
}

function resolvConf(): string {
  try { return readFileSync('/etc/resolv.conf', 'utf8'); } catch { return ''; }
}

export async function startClusterDns(o: ClusterDnsOptions): Promise<RunningClusterDns> {
  const host = o.host ?? o.dnsIP;
  const records = new ClusterRecords(o.zone ?? CLUSTER_DOMAIN);
  const informers = new InformerFactory(o.client, { onError: o.onError });
  const feed = (plural: keyof typeof R, set: (x: KubeObject) => void, del: (x: KubeObject) => void) =>
    informers.for(R[plural]).addHandlers({ onAdd: set, onUpdate: (x) => set(x), onDelete: del });
  feed('namespaces', (x) => records.setNamespace(x), (x) => records.deleteNamespace(x));
  feed('services', (x) => records.setService(x), (x) => records.deleteService(x));
  feed('endpoints', (x) => records.setEndpoints(x), (x) => records.deleteEndpoints(x));
  feed('pods', (x) => records.setPod(x), (x) => records.deletePod(x));
  const upstreams = o.upstreams ?? nameservers(resolvConf(), [o.dnsIP, host]);
  const handle = chain([
    new ClusterZone({ records, dnsIP: o.dnsIP }),
    new Forward({ upstreams, timeoutMs: o.forwardTimeoutMs ?? 2000 }),
  ]);
  informers.start();
  // as CoreDNS does, wait (a bounded time) for the first lists before answering: an early
  // NXDOMAIN for an existing Service would be cached by clients
  const synced = informers.waitForSync();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([synced, new Promise((r) => { timer = setTimeout(r, o.syncTimeoutMs ?? 5000); })]);
  clearTimeout(timer);
  let server: DnsServer;
  try {
    server = await startDnsServer({ host, port: o.port ?? 53, handle, generation: () => records.generation, onError: o.onError });
  } catch (e) {
    await informers.stop();
    throw e;
  }
  return {
    server,
    records,
    synced,
    async stop() {
      await informers.stop();
      await server.close();
    },
  };
}
