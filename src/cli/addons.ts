// `mk addons list | enable NAME | disable NAME`, in minikube's words: the bordered table (or
// `-o json`), and for enable the maintainer line, what the addon brings, `Verifying …` and
// `The 'ingress' addon is enabled` once it serves.
import type { Cluster } from '../cluster/index.ts';
import { UserError } from '../lib/errors.ts';
import { processOutput, type Output } from '../lib/output.ts';
import { addonsJson, renderAddons } from './cluster-views.ts';
import { say } from './style.ts';

export async function runAddonsList(cluster: Cluster, o: { output?: string }, io: Output = processOutput): Promise<void> {
  if (o.output !== undefined && o.output !== 'list' && o.output !== 'json') {
    throw new UserError(`invalid output format "${o.output}"`, 'Valid values for -o/--output are list and json.');
  }
  const rows = await cluster.addons();
  io.out(o.output === 'json' ? addonsJson(rows, cluster.profile) : renderAddons(rows, cluster.profile));
}

export async function runAddonsEnable(cluster: Cluster, name: string, io: Output = processOutput): Promise<void> {
  const { findAddon } = await import('../addons/index.ts');
  const addon = findAddon(name);
  say(io, 'tip', `${addon.name} is an addon maintained by ${addon.maintainer}. mk serves it itself: nothing to pull.`);
  for (const line of addon.uses) say(io, 'option', line);
  const ports = await cluster.hostPorts();
  if (addon.name === 'ingress' && ports) say(io, 'option', `from this host: http://127.0.0.1:${ports.http} and https://127.0.0.1:${ports.https} (mk ip gives the node's address)`);
  say(io, 'verifying', `Verifying ${addon.name} addon...`);
  await cluster.enableAddon(addon.name);
  say(io, 'addonEnable', `The '${addon.name}' addon is enabled`);
}

export async function runAddonsDisable(cluster: Cluster, name: string, io: Output = processOutput): Promise<void> {
  const addon = await cluster.disableAddon(name);
  say(io, 'addonDisable', `The '${addon.name}' addon is disabled`);
}
