// `mk service NAME [--url] [-n NS] [-p PROFILE]`: minikube's service command (URLs of the
// Service's node ports; a local forward through the API server where node IPs don't answer).
import { Args, Flags } from '@oclif/core';
import { clientFlags } from '../src/cli/base-command.ts';
import { ClusterCommand, profileFlag } from '../src/cli/cluster-command.ts';

export default class Service extends ClusterCommand {
  static summary = 'Print the URL(s) of a Service\'s node ports';
  static args = { name: Args.string({ description: 'the Service', required: true }) };
  static flags = {
    ...clientFlags,
    profile: profileFlag,
    url: Flags.boolean({ default: false, description: 'print only the URL(s), one a line' }),
    https: Flags.boolean({ default: false, description: 'https:// instead of http://' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Service);
    const { runService } = await import('../src/cli/service.ts');
    const cluster = await this.cluster(flags);
    const kc = { ...flags, context: flags.context ?? cluster.profile };
    const client = await this.client(kc);
    const conn = await this.connection(kc);
    await this.untilInterrupted((signal) => runService(client, conn, { name: args.name, namespace: flags.namespace, url: flags.url, https: flags.https, cluster }, undefined, undefined, signal));
  }
}
