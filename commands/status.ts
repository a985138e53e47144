// `mk status`: minikube's per-node status; the exit code carries minikube's bits.
import { Command, Flags } from '@oclif/core';
import { dockerRuntime } from '../src/agent/runtime/index.ts';
import { clusterStatus, renderStatus, statusExitCode } from '../src/cluster/status.ts';
import { SilentExit } from '../src/cli/errors.ts';

export default class Status extends Command {
  static summary = 'Show the status of the cluster\'s nodes, kubelets, API server and kubeconfig';
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const nodes = await clusterStatus(dockerRuntime(), flags.profile, { env: process.env });
    process.stdout.write(renderStatus(nodes));
    const code = statusExitCode(nodes);
    if (code !== 0) throw new SilentExit(code);
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
