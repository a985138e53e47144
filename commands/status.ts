// `mk status`: minikube's per-node status; the exit code carries minikube's bits.
import { ClusterCommand, clusterFlags } from '../src/cli/cluster-command.ts';
export default class Status extends ClusterCommand {
  static summary = 'Show the status of the cluster\'s nodes, kubelets, API server and kubeconfig';
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const cluster = await this.cluster(flags);
    const nodes = await cluster.status();
    const { renderStatus, statusExitCode } = await import('../src/cli/cluster-views.ts');
    this.print(renderStatus(nodes, cluster.profile));
    await this.exitWith(statusExitCode(nodes));
  }
}
