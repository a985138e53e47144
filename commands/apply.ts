// `mk apply -f`: create or three-way-patch every object of the manifests, all or nothing.
import { Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';

export const fileFlags = {
  filename: Flags.string({ char: 'f', multiple: true, required: true, description: 'file, directory or - for stdin' }),
  recursive: Flags.boolean({ char: 'R', default: false, description: 'process directories recursively' }),
};

export default class Apply extends MkCommand {
  static summary = 'Apply a configuration to resources by file name or stdin';
  static flags = { ...clientFlags, ...fileFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Apply);
    const { applyFiles } = await import('../src/cli/apply.ts');
    const { processOutput } = await import('../src/lib/output.ts');
    await applyFiles(await this.client(flags), flags, 'apply', processOutput);
  }
}
