// `mk delete`: by name, selector, --all or manifests; waits until gone unless --wait=false.
// Without a resource argument or -f it deletes the cluster (`-p P`, default mk) or, with --all,
// every cluster, leaving nothing behind.
import { Args, Flags } from '@oclif/core';
import { clientFlags } from '../src/cli/base-command.ts';
import { ClusterCommand, profileFlag } from '../src/cli/cluster-command.ts';

export default class Delete extends ClusterCommand {
  static summary = 'Delete resources by file names, stdin, resources and names, or by resources and label selector';
  static strict = false;
  static args = { resources: Args.string({ description: 'TYPE NAME... or TYPE/NAME...' }) };
  static flags = {
    ...clientFlags,
    filename: Flags.string({ char: 'f', multiple: true }),
    recursive: Flags.boolean({ char: 'R', default: false }),
    selector: Flags.string({ char: 'l' }),
    all: Flags.boolean({ default: false }),
    cascade: Flags.string({ default: 'background' }),
    wait: Flags.string({ default: 'true', options: ['true', 'false'] }),
    'ignore-not-found': Flags.boolean({ default: false }),
    profile: Flags.string({ char: 'p', description: `with no resource arguments: ${profileFlag.description}` }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Delete);
    const { runDelete } = await import('../src/cli/delete.ts');
    await runDelete(argv as string[], flags, { client: () => this.client(flags), cluster: (profile) => this.cluster({ profile, kubeconfig: flags.kubeconfig }) });
  }
}
