// `mk ssh [-n NODE] [-- CMD…]`: a shell (or CMD) in a node container; its exit code is mk's.
import { Command, Flags } from '@oclif/core';

export default class Ssh extends Command {
  static summary = 'Open a shell in a node (or run a command there)';
  static strict = false;
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    node: Flags.string({ char: 'n', description: 'the node (default: the control plane)' }),
    tty: Flags.boolean({ char: 't', allowNo: true, description: 'allocate a terminal (default: when stdin and stdout are terminals)' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Ssh);
    const { dockerRuntime } = await import('../src/agent/runtime/index.ts');
    const { sshNode } = await import('../src/cluster/ssh.ts');
    const code = await sshNode(dockerRuntime(), flags.profile, { node: flags.node, command: argv as string[], tty: flags.tty }, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    if (code !== 0) {
      const { SilentExit } = await import('../src/cli/errors.ts');
      throw new SilentExit(code);
    }
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
