// `mk apiserver`: run the Kubernetes API server in the foreground.
import { Flags } from '@oclif/core';
import { MkCommand } from '../src/cli/base-command.ts';

export default class ApiServer extends MkCommand {
  static summary = 'Run the API server in the foreground and point a kubeconfig context at it';
  static flags = {
    'data-dir': Flags.string({ required: true, description: 'directory for the store, certificates and token' }),
    port: Flags.integer({ default: 0, description: 'port to listen on (0: a free one)' }),
    host: Flags.string({ default: '127.0.0.1', description: 'address to listen on' }),
    profile: Flags.string({ char: 'p', default: 'mk', description: 'name of the kubeconfig cluster, user and context (refused when a cluster "mk start" made, or another server, has that context)' }),
    kubeconfig: Flags.string({ description: 'kubeconfig file to write (default: $KUBECONFIG or ~/.kube/config)' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ApiServer);
    const { runApiServer } = await import('../src/cli/apiserver.ts');
    await runApiServer({ dataDir: flags['data-dir'], host: flags.host, port: flags.port, profile: flags.profile, kubeconfig: flags.kubeconfig });
  }
}
