// `mk service NAME [--url]` and `mk service list` (minikube's service command): the URLs of a
// Service's node ports on the control-plane node's IP. When that IP does not answer from the
// host (Docker Desktop keeps container IPs inside its VM), a local 127.0.0.1 port per node port
// is forwarded through the API server to a ready pod behind the Service, until Ctrl-C.
import { connect } from 'node:net';
import type { KubeObject } from '../api/types.ts';
import { R } from '../api/resources.ts';
import { isNotFound } from '../api/status.ts';
import type { Connection, KubeClient } from '../client/index.ts';
import { UserError } from '../lib/errors.ts';
import type { Cluster } from '../cluster/index.ts';
import { processOutput, type Output } from '../lib/output.ts';
import { startPortForwardCommand, untilAborted } from './port-forward.ts';
import { serviceListTable, serviceTable, serviceUrls } from './service-table.ts';
import type { ServiceUrls } from './service-table.ts';

const SERVICES = R.services;

export interface ServiceDeps {
  /** The control-plane node's IP of the cluster. */
  nodeIp(cluster: Cluster): Promise<string>;
  /** Whether the host can open a TCP connection to ip:port. */
  reachable(ip: string, port: number): Promise<boolean>;
}

/** A TCP connect with a short timeout; only ever called with a node IP of the cluster's bridge. */
export function tcpReachable(ip: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: ip, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('timeout', () => done(false));
    s.once('error', () => done(false));
  });
}

export const defaultServiceDeps = (): ServiceDeps => ({
  // as `mk start` recorded it: no engine call
  nodeIp: (cluster) => cluster.controlPlaneIP(),
  reachable: (ip, port) => tcpReachable(ip, port),
});

export interface ServiceOptions {
  name: string;
  namespace?: string;
  /** print only the URLs, one a line */
  url?: boolean;
  https?: boolean;
  cluster: Cluster;
}

async function getService(client: KubeClient, namespace: string, name: string): Promise<KubeObject> {
  try {
    return await client.get(SERVICES, namespace, name);
  } catch (e) {
    if (isNotFound(e)) {
      throw new UserError(`Service '${name}' was not found in '${namespace}' namespace.`, `You may select another namespace by using 'mk service ${name} -n <namespace>'. Or list out all the services using 'mk service list'.`, { exitCode: 82 });
    }
    throw e;
  }
}

/** `mk service list [-n NS]`: every Service (of NS, or of all namespaces) with its URLs. */
export async function runServiceList(client: KubeClient, o: { namespace?: string; cluster: Cluster }, out: Output = processOutput, deps: ServiceDeps = defaultServiceDeps()): Promise<ServiceUrls[]> {
  const ip = await deps.nodeIp(o.cluster);
  const list = await client.list(SERVICES, o.namespace ? { namespace: o.namespace } : { allNamespaces: true });
  const items = [...list.items].sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const rows = items.map((s) => serviceUrls(s, ip));
  out.out(serviceListTable(rows));
  return rows;
}

/**
 * `mk service NAME`: prints the URLs (a table, or one a line with --url). Returns at once when
 * the node IP answers; otherwise forwards local ports until `signal` aborts.
 */
export async function runService(client: KubeClient, conn: Connection, o: ServiceOptions, out: Output = processOutput, deps: ServiceDeps = defaultServiceDeps(), signal: AbortSignal = new AbortController().signal): Promise<ServiceUrls> {
  const namespace = client.ns(o.namespace);
  const svc = await getService(client, namespace, o.name);
  const ip = await deps.nodeIp(o.cluster);
  const scheme = o.https ? 'https' : 'http';
  const urls = serviceUrls(svc, ip, scheme);
  if (urls.urls.length === 0) {
    if (!o.url) out.out(serviceTable(urls));
    throw new UserError(`service ${namespace}/${o.name} has no node port`, svc.spec?.type === 'ClusterIP' || !svc.spec?.type ? `Expose it with a node port: "mk expose svc ${o.name} --type=NodePort --name=${o.name}-np", or reach it with "mk port-forward svc/${o.name} LOCAL:PORT".` : undefined);
  }
  const firstNodePort = ((svc.spec?.ports ?? []) as { nodePort?: number }[]).find((p) => p.nodePort)!.nodePort!;
  if (await deps.reachable(ip, firstNodePort)) {
    if (o.url) out.out(urls.urls.map((u) => `${u}\n`).join(''));
    else {
      out.out(serviceTable(urls));
      out.out(`mk does not open a browser: open ${urls.urls.join(' or ')} in yours.\n`);
    }
    return urls;
  }
  return forwardLocally(client, conn, svc, urls, o, out, signal, ip);
}

async function forwardLocally(client: KubeClient, conn: Connection, svc: KubeObject, urls: ServiceUrls, o: ServiceOptions, out: Output, signal: AbortSignal, ip: string): Promise<ServiceUrls> {
  const namespace = client.ns(o.namespace);
  const ports = ((svc.spec?.ports ?? []) as { port: number; nodePort?: number }[]).filter((p) => p.nodePort);
  const quiet: Output = { out: () => undefined, err: (t) => out.err(t) };
  if (!o.url) out.out(`Starting tunnel for service ${o.name}.\n`);
  const fwd = await startPortForwardCommand(client, conn, { namespace, target: `svc/${o.name}`, ports: ports.map((p) => `0:${p.port}`), addresses: ['127.0.0.1'] }, quiet);
  const local: ServiceUrls = { ...urls, urls: fwd.ports.map((p) => `${o.https ? 'https' : 'http'}://127.0.0.1:${p.local}`) };
  if (o.url) out.out(local.urls.map((u) => `${u}\n`).join(''));
  else out.out(serviceTable(local));
  out.err(`The node IP ${ip} does not answer from this host: mk forwards ${local.urls.map((u) => u.replace(/^\w+:\/\//, '')).join(', ')} through the API server to a pod of ${namespace}/${o.name}. Keep this terminal open; Ctrl-C stops it.\n`);
  await untilAborted(fwd, signal);
  return local;
}
