// `mk logs POD|TYPE/NAME [-c C] [-f] [--tail N] [--previous] [--timestamps] [--since D]`.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';

export default class Logs extends MkCommand {
  static summary = 'Print the logs for a container in a pod';
  static args = { target: Args.string({ description: 'POD or TYPE/NAME', required: true }) };
  static flags = {
    ...clientFlags,
    container: Flags.string({ char: 'c', description: 'container name (default: the pod\'s default container)' }),
    follow: Flags.boolean({ char: 'f', default: false, description: 'stream the logs' }),
    tail: Flags.integer({ default: -1, description: 'lines of recent log to show (-1: all)' }),
    previous: Flags.boolean({ char: 'p', default: false, description: 'the previous instance of the container' }),
    timestamps: Flags.boolean({ default: false, description: 'include timestamps on each line' }),
    since: Flags.string({ description: 'only logs newer than a relative duration like 5s, 2m, or 3h' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Logs);
    const { runLogsCommand } = await import('../src/cli/logs.ts');
    const client = await this.client(flags);
    const conn = await this.connection(flags);
    await this.untilInterrupted((signal) => runLogsCommand(client, conn, { ...flags, target: args.target }, { stdout: process.stdout, stderr: process.stderr }, signal));
  }
}
