// `mk image ls [-p P]`: the images the cluster's pods can use (the host engine's), full names.
import { Command, Flags } from '@oclif/core';

export default class ImageLs extends Command {
  static summary = 'List the images the cluster\'s pods can use';
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ImageLs);
    const { dockerRuntime } = await import('../../src/agent/runtime/index.ts');
    const { listClusterImages, renderImageList } = await import('../../src/cluster/images.ts');
    process.stdout.write(renderImageList(await listClusterImages(dockerRuntime(), flags.profile)));
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
