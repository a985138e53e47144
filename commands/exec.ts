// `mk exec POD|TYPE/NAME [-c C] [-i] [-t] -- CMD…`: the command's exit code becomes mk's.
import { Args } from '@oclif/core';
import { MkCommand, clientFlags, containerStreamFlags } from '../src/cli/base-command.ts';

export default class Exec extends MkCommand {
  static summary = 'Execute a command in a container';
  static strict = false;
  static args = { target: Args.string({ description: 'POD or TYPE/NAME', required: true }) };
  static flags = {
    ...clientFlags,
    ...containerStreamFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Exec);
    const [target, ...command] = argv as string[];
    const { runExecCommand } = await import('../src/cli/exec.ts');
    const o = { namespace: flags.namespace, target: target!, container: flags.container, stdin: flags.stdin, tty: flags.tty, command };
    await this.exitWith(await runExecCommand(await this.client(flags), await this.connection(flags), o, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }));
  }
}
