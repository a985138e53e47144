// The host ports a cluster is reached on: the API server and the ingress addon's 80/443, each
// published on 127.0.0.1 only. They are chosen once, when the control plane is created (free
// ports on 127.0.0.1; for the ingress addon 127.0.0.1:80 and :443 themselves where nothing holds
// them, so `curl http://127.0.0.1/` reaches it with no tunnel), published explicitly and recorded
// in the profile, so a container restart (`docker restart`, an agent crash, a reboot) brings
// them back on the same ports and the kubeconfig stays valid. A port taken between the choice
// and Docker's bind is chosen again; an ingress port taken while the cluster was stopped (by
// another cluster that found 80 free, say) is chosen again at the next start.
import { createServer } from 'node:net';
import type { Profile } from './profile.ts';

export type HostPorts = Profile['ports'];

/** What the ingress addon publishes on the host when it can: minikube's hostPorts on its node. */
export const INGRESS_HOST_PORTS = { http: 80, https: 443 } as const;

/**
 * Can 127.0.0.1:port be published now? `taken` when something listens there; `unknown` when
 * this process may not bind it itself (a port below 1024 without root): Docker, whose daemon
 * runs as root, binds it anyway, and says so if it is taken.
 */
export type PortProbe = (port: number) => Promise<'free' | 'taken' | 'unknown'>;

export const probeLocalPort: PortProbe = (port) => new Promise((resolve) => {
  const s = createServer();
  s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EACCES' || e.code === 'EPERM' ? 'unknown' : 'taken'));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve('free')));
});

/** A TCP port nothing listens on at 127.0.0.1 now, other than those in `avoid`. */
export async function freeLocalPort(avoid: ReadonlySet<number> = new Set()): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    if (!avoid.has(port)) return port;
  }
  throw new Error('no free TCP port on 127.0.0.1');
}

/**
 * Three distinct ports: a free one for the API server, then the ingress addon's HTTP and HTTPS
 * ports: 80 and 443 unless `avoid` names them or something holds them, else free ones.
 */
export async function chooseHostPorts(avoid: Iterable<number> = [], probe: PortProbe = probeLocalPort): Promise<HostPorts> {
  const taken = new Set(avoid);
  const apiserver = await freeLocalPort(taken);
  taken.add(apiserver);
  return { apiserver, ...(await chooseIngressPorts(taken, probe)) };
}

/** The ingress ports: each the one to keep when it is still free, else 80/443 when free, else a
 * free one; the port kept is claimed first so the other cannot land on it. */
async function chooseIngressPorts(taken: Set<number>, probe: PortProbe, keep: Partial<Pick<HostPorts, 'http' | 'https'>> = {}): Promise<Pick<HostPorts, 'http' | 'https'>> {
  const pick = async (...prefer: (number | undefined)[]) => {
    for (const c of prefer) {
      if (c !== undefined && !taken.has(c) && (await probe(c)) !== 'taken') {
        taken.add(c);
        return c;
      }
    }
    const p = await freeLocalPort(taken);
    taken.add(p);
    return p;
  };
  if (keep.https !== undefined) {
    const https = await pick(keep.https, INGRESS_HOST_PORTS.https);
    return { http: await pick(keep.http, INGRESS_HOST_PORTS.http), https };
  }
  const http = await pick(keep.http, INGRESS_HOST_PORTS.http);
  return { http, https: await pick(keep.https, INGRESS_HOST_PORTS.https) };
}

/** The 127.0.0.1 port in Docker's refusal to publish one ("Bind for 127.0.0.1:80 failed: …"). */
export function refusedPort(e: unknown): number | undefined {
  const m = /127\.0\.0\.1:(\d+)/.exec(String((e as Error | undefined)?.message ?? e));
  return m ? Number(m[1]) : undefined;
}

/**
 * A stopped cluster's container could not start because its ingress HTTP or HTTPS port is
 * taken now: the ports to make it again with (the API server's kept, so the kubeconfig stays
 * valid, and the other ingress port kept while it is free; the refused one chosen again).
 * Undefined when the refused port is the API server's (or unknown): only freeing it helps then.
 */
export async function movedIngressPorts(e: unknown, recorded: HostPorts | undefined, o: { avoid?: Iterable<number>; probe?: PortProbe | undefined } = {}): Promise<HostPorts | undefined> {
  const port = refusedPort(e);
  if (!recorded || !isPortTaken(e) || port === undefined || port === recorded.apiserver) return undefined;
  if (port !== recorded.http && port !== recorded.https) return undefined;
  const keep = port === recorded.http ? { https: recorded.https } : { http: recorded.http };
  return { apiserver: recorded.apiserver, ...(await chooseIngressPorts(new Set([...(o.avoid ?? []), recorded.apiserver, port]), o.probe ?? probeLocalPort, keep)) };
}

/** Docker's refusal to publish a port something else holds ("port is already allocated",
 * "address already in use"). */
export function isPortTaken(e: unknown): boolean {
  return /port is already allocated|address already in use/i.test(String((e as Error | undefined)?.message ?? e));
}
