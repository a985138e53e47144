// `mk profile list`: minikube's table of profiles.
import { Command, Flags } from '@oclif/core';
import { dockerRuntime } from '../../src/agent/runtime/index.ts';
import { profileRows, renderProfiles } from '../../src/cluster/profile-list.ts';
import { kubeconfigPath, readConfig } from '../../src/kubeconfig/index.ts';
import { UserError } from '../../src/lib/errors.ts';

export default class ProfileList extends Command {
  static summary = 'List the clusters (profiles)';
  static flags = { verbose: Flags.boolean({ default: false }) };

  async run(): Promise<void> {
    await this.parse(ProfileList);
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
