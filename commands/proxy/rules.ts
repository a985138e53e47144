// `mk proxy rules [-n NODE] [-p PROFILE] [-o json]`: what a node's proxy serves — each Service
// address with the endpoints that node uses, the session affinity and the traffic policy.
import { Command, Flags } from '@oclif/core';

export default class ProxyRules extends Command {
  static summary = 'List what a node\'s proxy serves: Service addresses, endpoints, affinity, policy';
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    node: Flags.string({ char: 'n', description: 'the node (default: the control plane)' }),
    output: Flags.string({ char: 'o', options: ['json'], description: 'print the raw answer as JSON' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ProxyRules);
    const { dockerRuntime } = await import('../../src/agent/runtime/index.ts');
    const { fetchRules } = await import('../../src/agent/proxy/fetch.ts');
    const { renderRules } = await import('../../src/agent/proxy/rules.ts');
    const snap = await fetchRules(dockerRuntime(), flags.profile, flags.node);
    process.stdout.write(flags.output === 'json' ? JSON.stringify(snap, null, 2) + '\n' : renderRules(snap));
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
