// `mk addons disable NAME [-p P]`: disable an addon; what it served stops.
import { Args } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';

export default class AddonsDisable extends ClusterCommand {
  static summary = 'Disable an addon in the cluster';
  static args = { name: Args.string({ required: true, description: 'the addon, e.g. ingress' }) };
  static flags = { ...clusterFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AddonsDisable);
    const { runAddonsDisable } = await import('../../src/cli/addons.ts');
    await runAddonsDisable(await this.cluster(flags), args.name);
  }
}
