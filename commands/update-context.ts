// `mk update-context [-p P]`: point the profile's kubeconfig context at the running cluster again.
import { ClusterCommand, clusterFlags } from '../src/cli/cluster-command.ts';
export default class UpdateContext extends ClusterCommand {
  static summary = 'Update the kubeconfig context in case the API server\'s address, CA or token changed';
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(UpdateContext);
    const { runUpdateContext } = await import('../src/cli/update-context.ts');
    await runUpdateContext(await this.cluster(flags));
  }
}
