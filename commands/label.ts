// `mk label TYPE NAME k=v k2-`: update labels with a merge patch.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';

export default class Label extends MkCommand {
  static summary = 'Update the labels on a resource';
  static strict = false;
  static args = { resource: Args.string({ description: 'TYPE NAME or TYPE/NAME, then KEY=VAL or KEY-' }) };
  static flags = { ...clientFlags, overwrite: Flags.boolean({ default: false }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Label);
    const client = await this.client(flags);
    const { label } = await import('../src/cli/label-scale.ts');
    const { processOutput } = await import('../src/lib/output.ts');
    await label(client, argv as string[], { namespace: flags.namespace, overwrite: flags.overwrite }, processOutput);
  }
}
