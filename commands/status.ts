// `mk status`: minikube's per-node status; the exit code carries minikube's bits.
import { ClusterCommand, clusterFlags } from '../src/cli/cluster-command.ts';

export default class Status extends ClusterCommand {
  static summary = 'Show the status of the cluster\'s nodes, kubelets, API server and kubeconfig';
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const profile = await this.profile(flags);
    const { dockerRuntime } = await import('../src/runtime/index.ts');
    const { clusterStatus, renderStatus, statusExitCode } = await import('../src/cluster/status.ts');
    const nodes = await clusterStatus(dockerRuntime(), profile, { env: process.env });
    process.stdout.write(renderStatus(nodes, profile));
    const code = statusExitCode(nodes);
    if (code !== 0) {
      const { SilentExit } = await import('../src/cli/errors.ts');
      throw new SilentExit(code);
    }
  }
}
