// `mk node list [-p P]`: minikube's `<name>\t<ip>` per node.
import { Command, Flags } from '@oclif/core';

export default class NodeList extends Command {
  static summary = 'List the nodes of a cluster';
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeList);
    const { dockerRuntime } = await import('../../src/agent/runtime/index.ts');
    const { listNodes } = await import('../../src/cluster/node-ops.ts');
    const { renderNodeList } = await import('../../src/cluster/node-plan.ts');
    process.stdout.write(renderNodeList(await listNodes(flags.profile, { rt: dockerRuntime(), env: process.env })));
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
