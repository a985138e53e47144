// `mk ip`: a node's address on the cluster network (default: the control plane).
import { Flags } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../src/cli/cluster-command.ts';

export default class Ip extends ClusterCommand {
  static summary = 'Print a node\'s IP address';
  static flags = {
    ...clusterFlags,
    node: Flags.string({ char: 'n', description: 'the node (default: the control plane)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Ip);
    this.print(`${await (await this.cluster(flags)).ip(flags.node)}\n`);
  }
}
