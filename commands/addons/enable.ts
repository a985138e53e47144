// `mk addons enable NAME [-p P]`: enable an addon; returns once it serves.
import { Args } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';

export default class AddonsEnable extends ClusterCommand {
  static summary = 'Enable an addon in the cluster (see mk addons list)';
  static args = { name: Args.string({ required: true, description: 'the addon, e.g. ingress' }) };
  static flags = { ...clusterFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AddonsEnable);
    const { runAddonsEnable } = await import('../../src/cli/addons.ts');
    await runAddonsEnable(await this.cluster(flags), args.name);
  }
}
