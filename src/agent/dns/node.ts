// The DNS part of a node agent: starts the cluster DNS on <dnsIP>:53 in the background (the
// agent does not wait for it; a failed bind is retried), then writes the agent's mirror Pod in
// kube-system so the kube-dns Service shows who serves it. Stopping ends both loops.
import { R } from '../../api/resources.ts';
import type { ListWatchClient } from '../../client/informer.ts';
import { startClusterDns, type RunningClusterDns } from './index.ts';
import { writeMirrorPod, type MirrorClient } from './mirror.ts';

export interface NodeDnsOptions {
  client: ListWatchClient & MirrorClient;
  nodeName: string;
  nodeIP: string;
  dnsIP: string;
  port?: number;
  /** the image the mirror Pod names (the node image) */
  image?: string;
  retryMs?: number;
  log: (line: string) => void;
  onError: (e: unknown) => void;
}

export interface NodeDns {
  /** resolves with the running server once it listens (never, if stopped first) */
  running: Promise<RunningClusterDns>;
  stop(): Promise<void>;
}

export function startNodeDns(o: NodeDnsOptions): NodeDns {
  let stopped = false;
  let current: RunningClusterDns | undefined;
  const retry = o.retryMs ?? 2000;
  const sleep = () => new Promise((r) => setTimeout(r, retry));
  const pods = R.pods;
  const running = (async () => {
    for (;;) {
      try {
        current = await startClusterDns({ client: o.client, dnsIP: o.dnsIP, port: o.port ?? 53, onError: o.onError });
        if (stopped) await current.stop();
        break;
      } catch (e) {
        o.onError(e);
        if (stopped) break;
        await sleep();
      }
    }
    if (stopped || !current) return new Promise<never>(() => {});
    o.log(`dns: serving ${o.dnsIP}:${current.server.port} (udp, tcp)`);
    void (async () => {
      while (!stopped) {
        try {
          await writeMirrorPod(o.client, pods, { nodeName: o.nodeName, nodeIP: o.nodeIP, image: o.image ?? 'mk-node' });
          return;
        } catch (e) {
          o.onError(e);
          await sleep();
        }
      }
    })();
    return current;
  })();
  return {
    running,
    async stop() {
      stopped = true;
      await current?.stop();
    },
  };
}
