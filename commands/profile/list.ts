// `mk profile list`: minikube's table of profiles.
import { Command, Flags } from '@oclif/core';

export default class ProfileList extends Command {
  static summary = 'List the clusters (profiles)';
  static flags = { verbose: Flags.boolean({ default: false }) };

  async run(): Promise<void> {
    await this.parse(ProfileList);
    const { dockerRuntime } = await import('../../src/agent/runtime/index.ts');
    const { profileRows, renderProfiles } = await import('../../src/cluster/profile-list.ts');
    const { kubeconfigPath, readConfig } = await import('../../src/kubeconfig/index.ts');
    const { UserError } = await import('../../src/lib/errors.ts');
    let current: string | undefined;
    try { current = readConfig(kubeconfigPath())['current-context']; } catch { current = undefined; }
    const rows = await profileRows(dockerRuntime(), process.env, current);
    if (rows.length === 0) throw new UserError('No mk profile was found.', 'To start a cluster, run: "mk start"', { exitCode: 85 });
    process.stdout.write(renderProfiles(rows));
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
