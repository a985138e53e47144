// `mk profile [NAME]`: print the profile commands act on without -p, or set it (and switch the
// kubectl context to it), as minikube's `profile`. `mk profile list` is its own command.
import { Args, Command, Flags } from '@oclif/core';

export default class Profile extends Command {
  static summary = 'Get or set the current profile (cluster); "mk profile default" returns to mk';
  static args = { name: Args.string({ description: 'the profile to make current' }) };
  static flags = { verbose: Flags.boolean({ default: false, description: 'show stack traces on errors' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(Profile);
    const { runProfile } = await import('../src/cli/profile.ts');
    const { processOutput } = await import('../src/cli/io.ts');
    runProfile(args.name, { env: process.env }, processOutput);
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
