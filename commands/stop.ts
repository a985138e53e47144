// `mk stop`: stop the profile's node containers and its pods; `mk start` brings them back.
import { Command, Flags } from '@oclif/core';

export default class Stop extends Command {
  static summary = 'Stop a running cluster (its objects are kept)';
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Stop);
    const { dockerRuntime } = await import('../src/agent/runtime/index.ts');
    const { stopCluster } = await import('../src/cluster/lifecycle.ts');
    await stopCluster(flags.profile, { rt: dockerRuntime(), env: process.env, out: (t) => void process.stdout.write(t) });
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
