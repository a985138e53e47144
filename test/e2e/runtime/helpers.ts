// Shared set-up for the runtime e2e suites: a Docker runtime, a random mk.test label for every
// object a suite makes, removal of all of them by that label, and bounded waits.

import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { LABELS, dockerRuntime } from '../../../src/runtime/index.ts';
import type { Runtime } from '../../../src/runtime/index.ts';

export interface Suite { rt: Runtime; id: string; labels: Record<string, string>; name(s: string): string }

export function suite(): Suite {
  const id = randomBytes(4).toString('hex');
  return { rt: dockerRuntime(), id, labels: { [LABELS.test]: id }, name: (s) => `mk-test-${id}-${s}` };
}

/** Removes the containers, networks, volumes and images carrying this suite's mk.test label. */
export async function cleanup(s: Suite): Promise<void> {
  for (const c of await s.rt.listContainers(s.labels, true)) await s.rt.removeContainer(c.id);
  const filter = `label=${LABELS.test}=${s.id}`;
  const ls = (kind: string) => execFileSync('docker', [kind, 'ls', '-q', '--filter', filter], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const n of ls('network')) await s.rt.removeNetwork(n);
  for (const v of ls('volume')) await s.rt.removeVolume(v);
  for (const i of await s.rt.listImages(s.labels)) await s.rt.removeImage(i.id);
}

/** Polls until f returns a value other than undefined; fails after `ms`. */
export async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free private /16 for a test network, away from the 10.244 default mk uses. */
export async function freeSubnet(rt: Runtime): Promise<{ subnet: string; gateway: string; prefix: string }> {
  const used = await rt.usedSubnets();
  for (let b = 200; b < 250; b++) {
    const prefix = `10.${b}`;
    if (!used.some((u) => u.startsWith(`${prefix}.`))) return { subnet: `${prefix}.0.0/16`, gateway: `${prefix}.0.1`, prefix };
  }
  throw new Error('no free 10.x.0.0/16 for a test network');
}
