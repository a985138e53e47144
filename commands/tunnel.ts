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
    const { processOutput } = await import('../src/cli/io.ts');
    const { controlPlaneIp } = await import('../src/cli/service.ts');
    const { ipRoute, isRoot } = await import('../src/cluster/tunnel/route.ts');
    const { runTunnel } = await import('../src/cluster/tunnel/tunnel.ts');
    const { invokingUserEnv } = await import('../src/cluster/tunnel/sudo.ts');
    const { kubeconfigPath } = await import('../src/kubeconfig/index.ts');
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const env = invokingUserEnv();
      const kubeconfig = flags.kubeconfig ?? kubeconfigPath(env);
      const profile = await this.profile({ profile: flags.profile, kubeconfig }, env);
      const client = await this.client({ kubeconfig, context: flags.context ?? profile });
      await runTunnel(client, { profile }, { route: ipRoute(), isRoot, nodeIp: async (p) => controlPlaneIp(p, env), pid: process.pid }, processOutput, abort.signal);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
}
