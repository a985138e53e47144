// `mk run NAME --image=I [-i] [-t] [--rm] [--restart=…] [--env …] [--labels …] [--port P] [--command] [-- CMD ARGS…]`:
// kubectl run's bare Pod; with -i, attached as `mk attach` does. The container's exit code becomes mk's.
import { Args } from '@oclif/core';
import { MkCommand } from '../src/cli/base-command.ts';
import { runFlags } from '../src/cli/run-flags.ts';

export default class Run extends MkCommand {
  static summary = 'Run a particular image on the cluster';
  static strict = false;
  static args = { name: Args.string({ description: 'the pod\'s name' }) };
  static flags = runFlags;

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Run);
    const [name, ...args] = argv as string[];
    const { runRunCommand } = await import('../src/cli/run.ts');
    const { runOptions } = await import('../src/cli/run-flags.ts');
    const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
    await this.exitWith(await runRunCommand(await this.client(flags), await this.connection(flags), runOptions(name, args, flags), io));
  }
}
