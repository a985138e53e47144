// `mk addons list [-p P] [-o json]`: minikube's table of addons and their state in the cluster.
import { Flags } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';

export default class AddonsList extends ClusterCommand {
  static summary = 'List the addons mk has and whether each is enabled in the cluster';
  static flags = {
    ...clusterFlags,
    output: Flags.string({ char: 'o', description: 'list (a table) or json' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(AddonsList);
    const { runAddonsList } = await import('../../src/cli/addons.ts');
    await runAddonsList(await this.cluster(flags), { output: flags.output });
  }
}
