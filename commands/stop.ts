// `mk stop`: stop the profile's node containers and its pods; `mk start` brings them back.
import { ClusterCommand, clusterFlags } from '../src/cli/cluster-command.ts';
export default class Stop extends ClusterCommand {
  static summary = 'Stop a running cluster (its objects are kept)';
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Stop);
    await (await this.cluster(flags)).stop();
  }
}
