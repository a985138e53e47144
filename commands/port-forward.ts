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
    const { runPortForwardCommand } = await import('../src/cli/port-forward.ts');
    const [target, ...ports] = argv as string[];
    const client = await this.client(flags);
    const conn = await this.connection(flags);
    await this.untilInterrupted((signal) => runPortForwardCommand(client, conn, { namespace: flags.namespace, target: target!, ports, addresses: flags.address }, undefined, signal));
  }
}
