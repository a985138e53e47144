// `mk profile list`: minikube's table of profiles.
import { Command, Flags } from '@oclif/core';

export default class ProfileList extends Command {
  static summary = 'List the clusters (profiles)';
  static flags = { verbose: Flags.boolean({ default: false }) };

  async run(): Promise<void> {
    await this.parse(ProfileList);
    const { dockerRuntime } = await import('../../src/runtime/index.ts');
    const { profileRows, renderProfiles } = await import('../../src/cluster/profile-list.ts');
    const { defaultProfile } = await import('../../src/cluster/default-profile.ts');
    const { UserError } = await import('../../src/lib/errors.ts');
    // Active: the profile the other commands act on without -p
    const rows = await profileRows(dockerRuntime(), process.env, defaultProfile({ env: process.env }));
    if (rows.length === 0) throw new UserError('No mk profile was found.', 'To start a cluster, run: "mk start"', { exitCode: 85 });
    process.stdout.write(renderProfiles(rows));
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
