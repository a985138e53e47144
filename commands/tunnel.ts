// `mk tunnel [-p PROFILE]` (minikube tunnel): foreground; routes the service range from the host
// and gives LoadBalancer Services their external IPs until Ctrl-C, then removes both.
import { clientFlags } from '../src/cli/base-command.ts';
import { ClusterCommand, profileFlag } from '../src/cli/cluster-command.ts';

export default class Tunnel extends ClusterCommand {
  static summary = 'Route the service range from this host and give LoadBalancer Services an external IP (needs root)';
  static flags = {
    kubeconfig: clientFlags.kubeconfig,
    context: clientFlags.context,
    verbose: clientFlags.verbose,
    profile: profileFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Tunnel);
    const { invokingUserEnv } = await import('../src/cluster/index.ts');
    // under sudo, the kubeconfig and ~/.mk of the user who ran it
    const env = await invokingUserEnv();
    const { kubeconfigPath } = await import('../src/kubeconfig/index.ts');
    const kubeconfig = flags.kubeconfig ?? kubeconfigPath(env);
    const cluster = await this.cluster({ ...flags, kubeconfig }, env);
    const client = await this.client({ kubeconfig, context: flags.context ?? cluster.profile });
    const { processOutput } = await import('../src/lib/output.ts');
    await this.untilInterrupted((signal) => cluster.tunnel(client, processOutput, signal));
  }
}
