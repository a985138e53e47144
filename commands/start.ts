// `mk start`: create (or restart) the profile's cluster on Docker and point kubectl at it.
import { Flags } from '@oclif/core';
import { ClusterCommand, profileFlag } from '../src/cli/cluster-command.ts';

export default class Start extends ClusterCommand {
  static summary = 'Start a local cluster: nodes are Docker containers';
  static flags = {
    profile: profileFlag,
    nodes: Flags.integer({ default: 1, description: 'number of nodes (the first is the control plane)' }),
    subnet: Flags.string({ description: 'the network\'s IPv4 range (default: 10.244.0.0/16 or the next free private /16)' }),
    'proxy-mode': Flags.string({ options: ['iptables', 'userspace'], description: 'how nodes serve Services: kube-proxy\'s iptables rules (the default, where the node allows) or the agent\'s in-process proxy alone' }),
    'keep-context': Flags.boolean({ default: false, description: 'write the kubeconfig context without making it current' }),
    wait: Flags.string({ default: 'true', options: ['true', 'false', 'all', 'none'], description: 'wait for every node to be Ready' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Start);
    const { runStart } = await import('../src/cli/start.ts');
    await runStart(await this.cluster(flags), { nodes: flags.nodes, subnet: flags.subnet, proxyMode: flags['proxy-mode'] as 'iptables' | 'userspace' | undefined, keepContext: flags['keep-context'], wait: flags.wait === 'true' || flags.wait === 'all' });
  }
}
