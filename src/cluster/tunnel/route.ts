// The host route `mk tunnel` owns: the service range via the control-plane node's IP on the
// cluster's own Docker bridge (the node holds the whole range locally, DESIGN.md principle 3).
// Host networking through `ip` (iproute2), never through Docker. The command lines are built by
// pure functions; running them is the only side effect here.
import { execa } from 'execa';
import { UserError } from '../../lib/errors.ts';


export const routeAddCommand = (cidr: string, via: string): string[] => ['ip', 'route', 'add', cidr, 'via', via];
export const routeDelCommand = (cidr: string, via: string): string[] => ['ip', 'route', 'del', cidr, 'via', via];
export const routeShowCommand = (cidr: string): string[] => ['ip', 'route', 'show', 'exact', cidr];

/** The gateway of `ip route show exact CIDR` output (`10.96.0.0/12 via 10.244.0.2 dev br-…`). */
export function parseRouteVia(output: string): string | undefined {
  for (const line of output.split('\n')) {
    const m = /\bvia (\S+)/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

export interface RouteOps {
  /** Adds CIDR via GW; false when that very route was already there (left by an earlier tunnel). */
  add(cidr: string, via: string): Promise<boolean>;
  remove(cidr: string, via: string): Promise<void>;
}

export type Run = (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

const runExeca: Run = async (argv) => {
  const r = await execa(argv[0]!, argv.slice(1), { reject: false });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
};

/** RouteOps on the host's routing table through `ip`. */
export function ipRoute(run: Run = runExeca): RouteOps {
  return {
    async add(cidr, via) {
      const existing = parseRouteVia((await run(routeShowCommand(cidr))).stdout);
      if (existing === via) return false;
      if (existing) {
        throw new UserError(`a route to ${cidr} via ${existing} already exists on this host`, `Another cluster's tunnel may hold it; remove it with "sudo ${routeDelCommand(cidr, existing).join(' ')}" if it is stale.`);
      }
      const r = await run(routeAddCommand(cidr, via));
      if (r.code !== 0) throw new UserError(`could not add the route ${cidr} via ${via}: ${r.stderr.trim()}`);
      return true;
    },
    async remove(cidr, via) {
      const r = await run(routeDelCommand(cidr, via));
      if (r.code !== 0 && !/No such process/.test(r.stderr)) throw new UserError(`could not remove the route ${cidr} via ${via}: ${r.stderr.trim()}`);
    },
  };
}

export const isRoot = (): boolean => process.getuid?.() === 0;
