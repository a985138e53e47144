// `mk service list [-n NS] [-p PROFILE]`: minikube's table of every Service and its URLs.
import { MkCommand, clientFlags } from '../../src/cli/base-command.ts';
import { profileFlag } from '../service.ts';

export default class ServiceList extends MkCommand {
  static summary = 'List the URLs of the Services in the cluster';
  static flags = { ...clientFlags, profile: profileFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServiceList);
    const { processOutput } = await import('../../src/cli/io.ts');
    const { defaultServiceDeps, runServiceList } = await import('../../src/cli/service.ts');
    await runServiceList(await this.client({ ...flags, context: flags.context ?? flags.profile }), { namespace: flags.namespace, profile: flags.profile }, processOutput, defaultServiceDeps());
  }
}
