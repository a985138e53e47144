// The host ports a cluster is reached on: the API server and the ingress addon's 80/443, each
// published on 127.0.0.1 only. They are chosen once, when the control plane is created (free
// ports on 127.0.0.1), published explicitly and recorded in the profile, so a container restart
// (`docker restart`, an agent crash, a reboot) brings them back on the same ports and the
// kubeconfig stays valid. A port taken between the choice and Docker's bind is chosen again.
import { createServer } from 'node:net';
import type { Profile } from './profile.ts';

export type HostPorts = Profile['ports'];

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

/** Three distinct free ports: the API server's, then the ingress addon's HTTP and HTTPS. */
export async function chooseHostPorts(avoid: Iterable<number> = []): Promise<HostPorts> {
  const taken = new Set(avoid);
  const pick = async () => {
    const p = await freeLocalPort(taken);
    taken.add(p);
    return p;
  };
  return { apiserver: await pick(), http: await pick(), https: await pick() };
}

/** Docker's refusal to publish a port something else holds ("port is already allocated",
 * "address already in use"). */
export function isPortTaken(e: unknown): boolean {
  return /port is already allocated|address already in use/i.test(String((e as Error | undefined)?.message ?? e));
}
