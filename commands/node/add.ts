// `mk node add [-p P]`: a new worker node joined to the running cluster, Ready when this ends.
import { Flags } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';
export default class NodeAdd extends ClusterCommand {
  static summary = 'Add a worker node to a running cluster';
  static flags = {
    ...clusterFlags,
    worker: Flags.boolean({ default: true, allowNo: true, description: 'the node is a worker (the only kind mk adds)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeAdd);
    await (await this.cluster(flags)).addNode({ worker: flags.worker });
  }
}
