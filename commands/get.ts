// `mk get`: what `kubectl get` prints, from the server's Tables.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';

export default class Get extends MkCommand {
  static summary = 'Display one or many resources';
  static strict = false;
  static args = { resources: Args.string({ description: 'TYPE[,TYPE...] [NAME...] or TYPE/NAME...' }) };
  static flags = {
    ...clientFlags,
    'all-namespaces': Flags.boolean({ char: 'A', default: false, description: 'list across all namespaces' }),
    output: Flags.string({ char: 'o', description: 'wide|yaml|json|name|jsonpath=…|jsonpath-as-json=…|jsonpath-file=…|custom-columns=…|custom-columns-file=…' }),
    'allow-missing-template-keys': Flags.boolean({ default: true, allowNo: true, description: 'ignore missing keys in jsonpath templates (--no-allow-missing-template-keys to report them)' }),
    selector: Flags.string({ char: 'l', description: 'label selector' }),
    'field-selector': Flags.string({ description: 'field selector' }),
    'show-labels': Flags.boolean({ default: false }),
    'label-columns': Flags.string({ char: 'L', multiple: true, description: 'labels to show as columns' }),
    'no-headers': Flags.boolean({ default: false }),
    watch: Flags.boolean({ char: 'w', default: false }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Get);
    const { get, getOptions } = await import('../src/cli/get.ts');
    await get(await this.client(flags), argv as string[], getOptions(flags));
  }
}
