// `mk profile [NAME]`: print the profile commands act on without -p, or set it (and switch the
// kubectl context to it), as minikube's `profile`. `mk profile list` is its own command.
import { Args } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../src/cli/cluster-command.ts';

export default class Profile extends ClusterCommand {
  static summary = 'Get or set the current profile (cluster); "mk profile default" returns to mk';
  static args = { name: Args.string({ description: 'the profile to make current' }) };
  static flags = { verbose: clusterFlags.verbose };

  async run(): Promise<void> {
    const { args } = await this.parse(Profile);
    const { runProfile } = await import('../src/cli/profile.ts');
    await runProfile(args.name);
  }
}
