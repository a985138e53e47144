// `mk ip`: a node's address on the cluster network (default: the control plane).
import { Command, Flags } from '@oclif/core';

export default class Ip extends Command {
  static summary = 'Print a node\'s IP address';
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    node: Flags.string({ char: 'n', description: 'the node (default: the control plane)' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Ip);
    const { dockerRuntime } = await import('../src/agent/runtime/index.ts');
    const { nodeAddress } = await import('../src/cluster/ssh.ts');
    process.stdout.write(`${await nodeAddress(dockerRuntime(), flags.profile, flags.node)}\n`);
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
