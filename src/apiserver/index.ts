// The API server: Kubernetes REST over HTTPS that real kubectl (1.27–1.33) accepts — discovery,
// CRUD with the write pipeline, Tables, watch, scale, cascading deletion, service account tokens
// and the per-namespace `default` ServiceAccount and `kube-root-ca.crt` — backed by the SQLite
// store. The data dir keeps store.db, the cluster CA, the serving cert and the bearer
// token, all reused on restart so a written kubeconfig stays valid.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { DEFAULT_CIPHERS } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { GarbageCollector } from './garbage-collector.ts';
import { Store } from '../store/index.ts';
import { ServiceAllocator } from './allocators.ts';
import { bootstrap } from './bootstrap.ts';
import { ensureCerts } from './certs.ts';
import { secureDataDir } from './data-dir.ts';
import type { ServerContext } from './context.ts';
import { cascadeDelete } from './handlers/delete.ts';
import { PodSweeper } from './pod-sweeper.ts';
import { loadSigningKey } from './tokens/jwt.ts';
import { startNamespaceControllers } from './namespace-controllers.ts';
import { handler, upgradeHandler } from './server.ts';
import type { PodStreamBackends } from './handlers/pods.ts';

export type { PodStreamBackends, LogsBackend, LogOptions } from './handlers/pods.ts';

export interface ApiServerOptions {
  dataDir: string;
  host?: string; // default 127.0.0.1
  port?: number; // 0 = random
  extraSANs?: string[];
  /** The address the `kubernetes` Endpoints name (default: host, or 127.0.0.1 when host is a wildcard). */
  advertiseAddress?: string;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK (default 60 s). */
  bookmarkIntervalMs?: number;
  /** What serves pods/exec, pods/portforward and pods/log (the node agent); may be filled in later through RunningApiServer.streams. */
  streams?: PodStreamBackends;
  /** Access log: one line per finished request (`GET /api/v1/pods 200 1.2ms`); none by default. */
  log?: (line: string) => void;
  /** How often terminating pods on nodes without a kubelet are looked at (default 1000 ms). */
  podSweepIntervalMs?: number;
  /** What the watch history may hold (default 10,000 events, 64 MiB of objects); older revisions answer 410 Expired. */
  watchHistory?: { events?: number; bytes?: number };
}

export interface RunningApiServer {
  url: string;
  port: number;
  caPem: string;
  token: string;
  store: Store;
  /** The backends for exec/port-forward/logs; assign members once the node side runs. */
  streams: PodStreamBackends;
  close(): Promise<void>;
}

function loadToken(dataDir: string): string {
  const file = join(dataDir, 'token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const storeFile = secureDataDir(opts.dataDir);
  const host = opts.host ?? '127.0.0.1';
  const certs = await ensureCerts(opts.dataDir, opts.extraSANs ?? []);
  const token = loadToken(opts.dataDir);
  const store = Store.open(storeFile, { historySize: opts.watchHistory?.events, historyBytes: opts.watchHistory?.bytes });
  const allocator = new ServiceAllocator();
  allocator.load(store.list('/core/services/').items);
  const ctx = { store, allocator, now: () => new Date(), signingKey: loadSigningKey(opts.dataDir) } as ServerContext;
  ctx.gc = new GarbageCollector(store, { deleteObject: (key, obj) => cascadeDelete(ctx, key, obj) });
  ctx.gc.start();
  const sweeper = new PodSweeper(ctx, { intervalMs: opts.podSweepIntervalMs });
  sweeper.start();

  // Clients whose TLS 1.2 hello lists no signature algorithms (busybox wget in a pod) can only be
  // answered with a SHA-1 handshake signature, as Go's TLS (kube-apiserver up to 1.33) still does;
  // OpenSSL 3 refuses that at its default security level. Everyone else negotiates SHA-256 or better.
  const server: Server = createServer({ cert: certs.certPem, key: certs.keyPem, keepAlive: true, ciphers: `${DEFAULT_CIPHERS}:@SECLEVEL=0` });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = isIP(host) === 6 ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `https://${urlHost}:${port}`;
  const address = opts.advertiseAddress ?? (host === '0.0.0.0' || host === '::' || isIP(host) === 0 ? '127.0.0.1' : host);
  try {
    bootstrap(ctx, { address, port });
  } catch (e) {
    server.close();
    ctx.gc.stop();
    sweeper.stop();
    store.close();
    throw e;
  }
  // ServiceAccount `default` and ConfigMap `kube-root-ca.crt` in every namespace, there before the first pod
  const perNamespace = startNamespaceControllers(ctx, certs.caPem);
  await perNamespace.whenIdle();
  const streams: PodStreamBackends = opts.streams ?? {};
  const hopts = { token, serverAddress: `${address}:${port}`, bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000, streams, log: opts.log };
  server.on('request', handler(ctx, hopts));
  server.on('upgrade', upgradeHandler(ctx, hopts));

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    caPem: certs.caPem,
    token,
    store,
    streams,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        perNamespace.stop();
        ctx.gc.stop();
        sweeper.stop();
        store.close();
      });
      return closed;
    },
  };
}
