// `mk node add [-p P]`: a new worker node joined to the running cluster, Ready when this ends.
import { Command, Flags } from '@oclif/core';

export default class NodeAdd extends Command {
  static summary = 'Add a worker node to a running cluster';
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    worker: Flags.boolean({ default: true, allowNo: true, description: 'the node is a worker (the only kind mk adds)' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeAdd);
    const { dockerRuntime } = await import('../../src/agent/runtime/index.ts');
    const { addNode } = await import('../../src/cluster/node-ops.ts');
    await addNode(flags.profile, { worker: flags.worker }, { rt: dockerRuntime(), env: process.env, out: (t) => void process.stdout.write(t) });
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
