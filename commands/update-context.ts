// `mk update-context [-p P]`: point the profile's kubeconfig context at the running cluster again.
import { Command, Flags } from '@oclif/core';

export default class UpdateContext extends Command {
  static summary = 'Update the kubeconfig context in case the API server\'s address, CA or token changed';
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(UpdateContext);
    const { dockerRuntime } = await import('../src/agent/runtime/index.ts');
    const { runUpdateContext } = await import('../src/cli/update-context.ts');
    const { processOutput } = await import('../src/cli/io.ts');
    await runUpdateContext(dockerRuntime(), flags.profile, { env: process.env }, processOutput);
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
