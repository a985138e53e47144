// `mk attach POD|TYPE/NAME [-c C] [-i] [-t] [-q]`: attach to the container's main process, as kubectl attach.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags, containerStreamFlags } from '../src/cli/base-command.ts';

export default class Attach extends MkCommand {
  static summary = 'Attach to a running container';
  static args = { target: Args.string({ description: 'POD or TYPE/NAME', required: true }) };
  static flags = {
    ...clientFlags,
    ...containerStreamFlags,
    quiet: Flags.boolean({ char: 'q', default: false, description: 'only print output from the remote session' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Attach);
    const { runAttachCommand } = await import('../src/cli/attach.ts');
    const o = { namespace: flags.namespace, target: args.target, container: flags.container, stdin: flags.stdin, tty: flags.tty, quiet: flags.quiet };
    await this.exitWith(await runAttachCommand(await this.client(flags), await this.connection(flags), o, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }));
  }
}
