// `mk create -f`: create every object of the manifests, all or nothing.
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';
import { fileFlags } from './apply.ts';

export default class Create extends MkCommand {
  static summary = 'Create resources from a file or from stdin';
  static flags = { ...clientFlags, ...fileFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Create);
    const { loadManifests, defaultNamespaces } = await import('../src/cli/manifests.ts');
    const { applyManifests } = await import('../src/cli/apply.ts');
    const { processOutput } = await import('../src/cli/io.ts');
    const docs = loadManifests(flags.filename, { recursive: flags.recursive });
    const client = await this.client(flags);
    defaultNamespaces(docs, client.ns(flags.namespace), flags.namespace !== undefined);
    await applyManifests(client, docs, 'create', processOutput);
  }
}
