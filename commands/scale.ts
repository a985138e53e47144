// `mk scale deploy|rs NAME --replicas=N`: patch the scale subresource.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';

export default class Scale extends MkCommand {
  static summary = 'Set a new size for a deployment or replica set';
  static strict = false;
  static args = { resource: Args.string({ description: 'TYPE NAME or TYPE/NAME' }) };
  static flags = { ...clientFlags, replicas: Flags.integer({ required: true }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Scale);
    const client = await this.client(flags);
    const { scale } = await import('../src/cli/label-scale.ts');
    const { processOutput } = await import('../src/lib/output.ts');
    await scale(client, argv as string[], { namespace: flags.namespace, replicas: flags.replicas }, processOutput);
  }
}
