// `mk ssh [-n NODE] [-- CMD…]`: a shell (or CMD) in a node container; its exit code is mk's.
import { Flags } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../src/cli/cluster-command.ts';
export default class Ssh extends ClusterCommand {
  static summary = 'Open a shell in a node (or run a command there)';
  static strict = false;
  static flags = {
    ...clusterFlags,
    node: Flags.string({ char: 'n', description: 'the node (default: the control plane)' }),
    tty: Flags.boolean({ char: 't', allowNo: true, description: 'allocate a terminal (default: when stdin and stdout are terminals)' }),
  };

  async run(): Promise<void> {
    // everything after `--` is the command, as typed: oclif would read a `-n` there as a second --node
    const raw = [...this.argv];
    const dd = raw.indexOf('--');
    const { argv, flags } = await this.parse(Ssh, dd >= 0 ? raw.slice(0, dd) : raw);
    const command = dd >= 0 ? raw.slice(dd + 1) : (argv as string[]);
    const code = await (await this.cluster(flags)).ssh({ node: flags.node, command, tty: flags.tty }, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    await this.exitWith(code);
  }
}
