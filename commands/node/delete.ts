// `mk node delete NAME [-p P]`: drain a worker (its pods are recreated elsewhere), then remove it.
import { Args, Command, Flags } from '@oclif/core';

export default class NodeDelete extends Command {
  static summary = 'Drain and delete a worker node';
  static args = { name: Args.string({ required: true, description: 'the node: <profile>-m02 or m02' }) };
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NodeDelete);
    const { dockerRuntime } = await import('../../src/agent/runtime/index.ts');
    const { deleteNode } = await import('../../src/cluster/node-ops.ts');
    await deleteNode(flags.profile, args.name, { rt: dockerRuntime(), env: process.env, out: (t) => void process.stdout.write(t) });
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
