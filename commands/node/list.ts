// `mk node list [-p P]`: minikube's `<name>\t<ip>` per node.
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';

export default class NodeList extends ClusterCommand {
  static summary = 'List the nodes of a cluster';
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeList);
    const profile = await this.profile(flags);
    const { dockerRuntime } = await import('../../src/runtime/index.ts');
    const { listNodes } = await import('../../src/cluster/node-ops.ts');
    const { renderNodeList } = await import('../../src/cluster/node-plan.ts');
    process.stdout.write(renderNodeList(await listNodes(profile, { rt: dockerRuntime(), env: process.env })));
  }
}
