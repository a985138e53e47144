// `mk port-forward TYPE/NAME [LOCAL:]REMOTE… [--address A]`: forwards until Ctrl-C.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';

export default class PortForward extends MkCommand {
  static summary = 'Forward one or more local ports to a pod';
  static strict = false;
  static args = { target: Args.string({ description: 'POD or TYPE/NAME (pod/, svc/, deploy/)', required: true }) };
  static flags = {
    ...clientFlags,
    address: Flags.string({ multiple: true, default: ['localhost'], description: 'addresses to listen on (comma separated); localhost means 127.0.0.1 and ::1' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(PortForward);
    const { processOutput } = await import('../src/cli/io.ts');
    const { runPortForwardCommand } = await import('../src/cli/port-forward.ts');
    const { streamTarget } = await import('../src/client/streams/connection.ts');
    const [target, ...ports] = argv as string[];
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await runPortForwardCommand(await this.client(flags), streamTarget(flags), { namespace: flags.namespace, target: target!, ports, addresses: flags.address }, processOutput, abort.signal);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
}
