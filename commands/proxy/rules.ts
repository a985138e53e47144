// `mk proxy rules [-n NODE] [-p PROFILE] [-o json]`: what a node's proxy serves — each Service
// address with the endpoints that node uses, the session affinity and the traffic policy.
import { Flags } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';
export default class ProxyRules extends ClusterCommand {
  static summary = 'List what a node\'s proxy serves: Service addresses, endpoints, affinity, policy';
  static flags = {
    ...clusterFlags,
    node: Flags.string({ char: 'n', description: 'the node (default: the control plane)' }),
    output: Flags.string({ char: 'o', options: ['json'], description: 'print the raw answer as JSON' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ProxyRules);
    const snap = await (await this.cluster(flags)).proxyRules(flags.node);
    const { renderRules } = await import('../../src/cli/proxy-rules.ts');
    this.print(flags.output === 'json' ? JSON.stringify(snap, null, 2) + '\n' : renderRules(snap));
  }
}
