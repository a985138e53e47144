// `mk node delete NAME [-p P]`: drain a worker (its pods are recreated elsewhere), then remove it.
import { Args } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';
export default class NodeDelete extends ClusterCommand {
  static summary = 'Drain and delete a worker node';
  static args = { name: Args.string({ required: true, description: 'the node: <profile>-m02 or m02' }) };
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NodeDelete);
    await (await this.cluster(flags)).deleteNode(args.name);
  }
}
