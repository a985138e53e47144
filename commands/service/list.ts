// `mk service list [-n NS] [-p PROFILE]`: minikube's table of every Service and its URLs.
import { clientFlags } from '../../src/cli/base-command.ts';
import { ClusterCommand, profileFlag } from '../../src/cli/cluster-command.ts';

export default class ServiceList extends ClusterCommand {
  static summary = 'List the URLs of the Services in the cluster';
  static flags = { ...clientFlags, profile: profileFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServiceList);
    const { runServiceList } = await import('../../src/cli/service.ts');
    const cluster = await this.cluster(flags);
    await runServiceList(await this.client({ ...flags, context: flags.context ?? cluster.profile }), { namespace: flags.namespace, cluster });
  }
}
