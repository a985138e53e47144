// `mk start`: create (or restart) the profile's cluster on Docker and point kubectl at it.
import { Flags } from '@oclif/core';
import { ClusterCommand, profileFlag } from '../src/cli/cluster-command.ts';

export default class Start extends ClusterCommand {
  static summary = 'Start a local cluster: nodes are Docker containers';
  static flags = {
    profile: profileFlag,
    nodes: Flags.integer({ default: 1, description: 'number of nodes (the first is the control plane)' }),
    subnet: Flags.string({ description: 'the network\'s IPv4 range (default: 10.244.0.0/16 or the next free private /16)' }),
    'keep-context': Flags.boolean({ default: false, description: 'write the kubeconfig context without making it current' }),
    wait: Flags.string({ default: 'true', options: ['true', 'false', 'all', 'none'], description: 'wait for every node to be Ready' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Start);
    const { startCluster, startOptions } = await import('../src/cluster/start.ts');
    const { plainReporter } = await import('../src/cluster/steps/runner.ts');
    const o = startOptions({ profile: await this.profile(flags), nodes: flags.nodes, subnet: flags.subnet, keepContext: flags['keep-context'], wait: flags.wait === 'true' || flags.wait === 'all' });
    const tty = Boolean(process.stdout.isTTY);
    const ui = tty ? await (await import('../src/ui/index.ts')).progressReporter(`Starting "${o.profile}"`) : undefined;
    let r;
    try {
      r = await startCluster(o, ui?.reporter ?? plainReporter((t) => void process.stdout.write(t)));
    } finally {
      await ui?.close();
    }
    if (r.otherVersion) {
      process.stderr.write(`! The "${r.profile}" cluster was started by another mk: its nodes run ${r.otherVersion.running}, this mk's are ${r.otherVersion.mine}. `
        + `To roll its nodes to this mk, keeping every object: mk stop -p ${r.profile} && mk start -p ${r.profile}\n`);
    }
    if (r.outcome === 'running' && r.contextUpdated) {
      const { styled } = await import('../src/cli/style.ts');
      const { contextUpdatedLine } = await import('../src/cli/update-context.ts');
      process.stdout.write(`The "${r.profile}" cluster is already running (${r.nodes} node${r.nodes === 1 ? '' : 's'}).\n`);
      process.stdout.write(styled('celebrate', contextUpdatedLine(r.profile, r.apiServerPort!), tty));
    } else if (r.outcome === 'running') {
      process.stdout.write(`The "${r.profile}" cluster is already running (${r.nodes} node${r.nodes === 1 ? '' : 's'}); nothing changed.\n`);
    } else if (o.keepContext) {
      process.stdout.write(`Done! Context "${r.profile}" written to ${r.kubeconfigPath}; the current context is unchanged (--keep-context)\n`);
    } else {
      process.stdout.write(`Done! kubectl is now configured to use "${r.profile}" cluster and "default" namespace by default\n`);
    }
  }
}
