// `mk profile list`: minikube's table of profiles.
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';

export default class ProfileList extends ClusterCommand {
  static summary = 'List the clusters (profiles)';
  static flags = { verbose: clusterFlags.verbose };

  async run(): Promise<void> {
    await this.parse(ProfileList);
    const { runProfileList } = await import('../../src/cli/profile.ts');
    await runProfileList();
  }
}
