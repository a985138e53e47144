// The DNS address must be a local address of the node before the server can bind it. The proxy
// holds the whole service range (`ip route add local <serviceCIDR> dev lo`); the DNS server may
// start first, so it makes sure of the same route itself. Idempotent either way.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export type RunIp = (args: string[]) => Promise<unknown>;

const run: RunIp = (args) => promisify(execFile)('ip', args);

export async function ensureLocalRoute(cidr: string, ip: RunIp = run): Promise<void> {
  try {
    await ip(['route', 'add', 'local', cidr, 'dev', 'lo']);
  } catch (e) {
    const msg = String((e as { stderr?: string }).stderr || (e as Error).message);
    if (/File exists/i.test(msg)) return;
    throw new Error(`dns: cannot make ${cidr} local to this node with "ip route add local ${cidr} dev lo": ${msg.trim()}`, { cause: e });
  }
}
