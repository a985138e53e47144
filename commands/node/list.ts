// `mk node list [-p P]`: minikube's `<name>\t<ip>` per node.
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';
export default class NodeList extends ClusterCommand {
  static summary = 'List the nodes of a cluster';
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeList);
    const nodes = await (await this.cluster(flags)).nodes();
    const { renderNodeList } = await import('../../src/cli/cluster-views.ts');
    this.print(renderNodeList(nodes));
  }
}
