// `mk create deployment NAME --image=I`: kubectl's generated Deployment.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../../src/cli/base-command.ts';

export default class CreateDeployment extends MkCommand {
  static summary = 'Create a deployment with the specified name';
  static args = { name: Args.string({ required: true }) };
  static flags = {
    ...clientFlags,
    image: Flags.string({ multiple: true, required: true, description: 'image(s) to run' }),
    replicas: Flags.integer({ char: 'r', default: 1 }),
    port: Flags.integer({ description: 'the containerPort to expose' }),
    'dry-run': Flags.string({ options: ['none', 'server', 'client'], default: 'none' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CreateDeployment);
    const client = await this.client(flags);
    const { createDeployment } = await import('../../src/cli/create-deployment.ts');
    const { processOutput } = await import('../../src/lib/output.ts');
    await createDeployment(
      client,
      args.name,
      { images: flags.image, replicas: flags.replicas, port: flags.port, namespace: flags.namespace, dryRun: flags['dry-run'] === 'server' },
      processOutput,
    );
  }
}
