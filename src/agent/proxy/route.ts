// The node holds the whole service range: `ip route add local <serviceCIDR> dev lo` makes every
// Service IP a local address of the node, so one wildcard socket per port receives them all
// and a socket can bind any one of them (UDP). Idempotent: an existing route is fine. Needs
// NET_ADMIN in the node container; without it the error says so.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export type RunIp = (args: string[]) => Promise<{ stdout: string; stderr: string }>;

const defaultRun: RunIp = async (args) => {
  const r = await promisify(execFile)('ip', args, { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr };
};

export class ServiceRouteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceRouteError';
  }
}

/** Adds the local route for the service range unless it is there already. */
export async function holdServiceRange(cidr: string, run: RunIp = defaultRun): Promise<'added' | 'present'> {
  const has = async () => {
    const { stdout } = await run(['route', 'show', 'table', 'local']);
    return stdout.split('\n').some((l) => /^local\s/.test(l.trim()) && l.trim().split(/\s+/)[1] === cidr);
  };
  try {
    if (await has()) return 'present';
    await run(['route', 'add', 'local', cidr, 'dev', 'lo']);
    return 'added';
  } catch (e) {
    const msg = String((e as { stderr?: string }).stderr || (e as Error).message || e).trim();
    if (/File exists/i.test(msg)) return 'present';
    const hint = /Operation not permitted|EPERM/i.test(msg) ? ' (the node container needs the NET_ADMIN capability)' : '';
    throw new ServiceRouteError(`proxy: cannot route the service range ${cidr} to this node with "ip route add local ${cidr} dev lo": ${msg}${hint}`, { cause: e });
  }
}
