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
    const { deleteByArgs, deleteManifests, deleteTarget } = await import('../src/cli/delete.ts');
    const { processOutput } = await import('../src/cli/io.ts');
    const target = deleteTarget(argv as string[], { filename: flags.filename, all: flags.all, profile: flags.profile, selector: flags.selector });
    if (target.kind !== 'objects') {
      const { dockerRuntime } = await import('../src/runtime/index.ts');
      const { deleteAllClusters, deleteCluster } = await import('../src/cluster/lifecycle.ts');
      const e = { rt: dockerRuntime(), env: process.env, kubeconfig: flags.kubeconfig, out: (t: string) => processOutput.out(t) };
      if (target.kind === 'all-clusters') await deleteAllClusters(e);
      else await deleteCluster(await this.profile({ profile: target.profile, kubeconfig: flags.kubeconfig }), e);
      return;
    }
    const o = { namespace: flags.namespace, labelSelector: flags.selector, all: flags.all, cascade: flags.cascade, wait: flags.wait !== 'false', ignoreNotFound: flags['ignore-not-found'] };
    const client = await this.client(flags);
    if (flags.filename) {
      const { UserError } = await import('../src/lib/errors.ts');
      if (argv.length > 0) throw new UserError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
      const { loadManifests, defaultNamespaces } = await import('../src/cli/manifests.ts');
      const docs = loadManifests(flags.filename, { recursive: flags.recursive });
      defaultNamespaces(docs, client.ns(flags.namespace), flags.namespace !== undefined);
      await deleteManifests(client, docs, o, processOutput);
    } else {
      await deleteByArgs(client, argv as string[], o, processOutput);
    }
  }
}
