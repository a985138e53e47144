// `mk tunnel` (minikube tunnel): in the foreground, route the service range from the host via the
// control-plane node, give every LoadBalancer Service without an ingress its ClusterIP as the
// external IP (status.loadBalancer.ingress through services/NAME/status), keep doing so for new
// and changed Services from a watch, and undo both — only what it wrote — when `signal` aborts.
// While the ingress addon is enabled on a cluster that did not get 127.0.0.1:80/443 at `mk start`,
// it also forwards them to the cluster's own HTTP/HTTPS host ports (./ingress-ports.ts).
import { R } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import type { KubeClient } from '../../client/index.ts';
import type { Output } from '../../lib/output.ts';
import { UserError } from '../../lib/errors.ts';
import { SERVICE_CIDR } from '../../api/network.ts';
import type { HostPorts } from '../host-ports.ts';
import { loadProfile } from '../profile.ts';
import { startIngressPorts, type Forwarder } from './ingress-ports.ts';
import { invokingUserEnv } from './sudo.ts';
import type { RouteOps } from './route.ts';

const SERVICES = R.services;

export interface TunnelDeps {
  route: RouteOps;
  isRoot(): boolean;
  /** The control-plane node's IP of a profile. */
  nodeIp(profile: string): Promise<string>;
  pid: number;
  /** Pause before re-listing after a lost watch. */
  retryDelayMs?: number;
  /** The cluster's recorded host ports (default: its profile file, the invoking user's under sudo). */
  hostPorts?(profile: string): Promise<HostPorts | undefined>;
  /** How 127.0.0.1:80/443 reach them for the ingress addon (default: TCP forwarders in this process). */
  forward?: Forwarder;
}

const profilePorts = async (profile: string) => loadProfile(profile, invokingUserEnv())?.ports;

export interface TunnelOptions {
  profile: string;
  cidr?: string;
}

/** What the tunnel wrote: `ns/name` → the ingress IP. */
export type Assigned = Map<string, string>;

const key = (s: KubeObject) => `${s.metadata.namespace}/${s.metadata.name}`;

/** A LoadBalancer Service that has no ingress yet and a ClusterIP to give it. */
export function wantsIngress(s: KubeObject): boolean {
  const ip = s.spec?.clusterIP;
  return s.spec?.type === 'LoadBalancer' && !((s.status?.loadBalancer?.ingress ?? []).length > 0) && typeof ip === 'string' && ip !== '' && ip !== 'None';
}

/** minikube tunnel's status block. */
export function statusText(o: { profile: string; pid: number; cidr: string; via: string; services: string[] }): string {
  return [
    'Status:\t',
    `\tmachine: ${o.profile}`,
    `\tpid: ${o.pid}`,
    `\troute: ${o.cidr} -> ${o.via}`,
    `\tmk: Running`,
    `\tservices: [${o.services.join(', ')}]`,
    '    errors: ',
    '\t\tmk: no errors',
    '\t\trouter: no errors',
    '\t\tloadbalancer emulator: no errors',
    '',
  ].join('\n');
}

async function setIngress(client: KubeClient, s: KubeObject, ip: string | null): Promise<KubeObject> {
  const body = { status: { loadBalancer: ip === null ? { ingress: null } : { ingress: [{ ip }] } } };
  return client.patch(SERVICES, s.metadata.namespace, s.metadata.name!, body, 'merge', { subresource: 'status' });
}

/** Gives `s` its ClusterIP as ingress when it wants one; records it in `assigned`. */
export async function reconcileService(client: KubeClient, s: KubeObject, assigned: Assigned): Promise<boolean> {
  if (s.spec?.type !== 'LoadBalancer') return assigned.delete(key(s));
  if (!wantsIngress(s)) return false;
  await setIngress(client, s, s.spec.clusterIP);
  assigned.set(key(s), s.spec.clusterIP);
  return true;
}

/** Removes the ingress IPs the tunnel wrote (left alone where someone else changed them since). */
export async function releaseAll(client: KubeClient, assigned: Assigned): Promise<string[]> {
  const released: string[] = [];
  for (const [k, ip] of assigned) {
    const [ns, name] = k.split('/') as [string, string];
    try {
      const s = await client.get(SERVICES, ns, name);
      const ingress = (s.status?.loadBalancer?.ingress ?? []) as { ip?: string }[];
      if (ingress.length === 1 && ingress[0]!.ip === ip) {
        await setIngress(client, s, null);
        released.push(name);
      }
    } catch {
      // deleted meanwhile: nothing to undo
    }
    assigned.delete(k);
  }
  return released;
}

/** Runs until `signal` aborts; the route and the ingress IPs are removed before it returns. */
export async function runTunnel(client: KubeClient, o: TunnelOptions, deps: TunnelDeps, out: Output, signal: AbortSignal): Promise<void> {
  const cidr = o.cidr ?? SERVICE_CIDR;
  const via = await deps.nodeIp(o.profile);
  if (!deps.isRoot()) throw new UserError(`mk tunnel needs root to add a route to ${cidr} via ${via}: run it with sudo`, `sudo mk tunnel -p ${o.profile}`);
  const added = await deps.route.add(cidr, via);
  const ingressPorts = startIngressPorts(client, {
    ports: await (deps.hostPorts ?? profilePorts)(o.profile).catch(() => undefined), forward: deps.forward, out,
    onError: (e) => out.err(`mk tunnel: the ingress addon's ports: ${(e as Error).message}\n`),
  });
  const assigned: Assigned = new Map();
  const services = new Set<string>();
  let shown = '';
  const show = () => {
    const text = statusText({ profile: o.profile, pid: deps.pid, cidr, via, services: [...services].sort() });
    if (text !== shown) out.out(text);
    shown = text;
  };
  const track = (s: KubeObject) => {
    if (s.spec?.type === 'LoadBalancer') services.add(s.metadata.name!);
    else services.delete(s.metadata.name!);
  };
  try {
    while (!signal.aborted) {
      let rv: string | undefined;
      try {
        const list = await client.list(SERVICES, { allNamespaces: true });
        services.clear();
        for (const s of list.items) {
          track(s);
          await reconcileService(client, s, assigned);
        }
        show();
        rv = list.metadata?.resourceVersion;
        for await (const ev of client.watch(SERVICES, { allNamespaces: true, resourceVersion: rv, signal })) {
          if (ev.type === 'BOOKMARK') continue;
          const s = ev.object as KubeObject;
          if (ev.type === 'DELETED') {
            services.delete(s.metadata.name!);
            assigned.delete(key(s));
          } else {
            track(s);
            await reconcileService(client, s, assigned);
          }
          show();
        }
      } catch (e) {
        if (signal.aborted) break;
        out.err(`mk tunnel: lost the watch on Services (${(e as Error).message}); listing again\n`);
      }
      if (!signal.aborted) await new Promise((r) => setTimeout(r, deps.retryDelayMs ?? 1000));
    }
  } finally {
    await ingressPorts.stop();
    const released = await releaseAll(client, assigned);
    if (added) await deps.route.remove(cidr, via);
    const route = added ? `removed the route ${cidr} -> ${via}` : `left the route ${cidr} -> ${via} (it was there before)`;
    out.out(`Stopped the tunnel: ${route}${released.length ? `, removed the external IPs of [${released.join(', ')}]` : ''}.\n`);
  }
}
