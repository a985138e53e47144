// `mk scale deploy|rs NAME --replicas=N`: patch the scale subresource.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';
import { scale } from '../src/cli/label-scale.ts';
import { processOutput } from '../src/cli/io.ts';

export default class Scale extends MkCommand {
  static summary = 'Set a new size for a deployment or replica set';
  static strict = false;
  static args = { resource: Args.string({ description: 'TYPE NAME or TYPE/NAME' }) };
  static flags = { ...clientFlags, replicas: Flags.integer({ required: true }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Scale);
    await scale(this.client(flags), argv as string[], { namespace: flags.namespace, replicas: flags.replicas }, processOutput);
  }
}
