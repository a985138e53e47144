// `mk status`: minikube's per-node status; the exit code carries minikube's bits.
import { Command, Flags } from '@oclif/core';

export default class Status extends Command {
  static summary = 'Show the status of the cluster\'s nodes, kubelets, API server and kubeconfig';
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const { dockerRuntime } = await import('../src/agent/runtime/index.ts');
    const { clusterStatus, renderStatus, statusExitCode } = await import('../src/cluster/status.ts');
    const nodes = await clusterStatus(dockerRuntime(), flags.profile, { env: process.env });
    process.stdout.write(renderStatus(nodes, flags.profile));
    const code = statusExitCode(nodes);
    if (code !== 0) {
      const { SilentExit } = await import('../src/cli/errors.ts');
      throw new SilentExit(code);
    }
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
