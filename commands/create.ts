// `mk create -f`: create every object of the manifests, all or nothing.
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';
import { fileFlags } from './apply.ts';

export default class Create extends MkCommand {
  static summary = 'Create resources from a file or from stdin';
  static flags = { ...clientFlags, ...fileFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Create);
    const { applyFiles } = await import('../src/cli/apply.ts');
    const { processOutput } = await import('../src/lib/output.ts');
    await applyFiles(await this.client(flags), flags, 'create', processOutput);
  }
}
