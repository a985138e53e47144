// `mk describe`: kubectl describe's text for one or many objects.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';

export default class Describe extends MkCommand {
  static summary = 'Show details of a specific resource or group of resources';
  static strict = false;
  static args = { resources: Args.string({ description: 'TYPE [NAME_PREFIX...] or TYPE/NAME' }) };
  static flags = {
    ...clientFlags,
    'all-namespaces': Flags.boolean({ char: 'A', default: false }),
    selector: Flags.string({ char: 'l', description: 'label selector' }),
    'show-events': Flags.boolean({ default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Describe);
    const client = await this.client(flags);
    const { describeCmd } = await import('../src/cli/describe.ts');
    const { processOutput } = await import('../src/lib/output.ts');
    await describeCmd(
      client,
      argv as string[],
      { namespace: flags.namespace, allNamespaces: flags['all-namespaces'], labelSelector: flags.selector, showEvents: flags['show-events'] },
      processOutput,
    );
  }
}
