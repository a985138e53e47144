// `mk image load IMAGE|FILE.tar [-p P]`: a tar is loaded into the engine; an image already
// there is usable at once (pods run on the host's engine).
import { Args, Command, Flags } from '@oclif/core';

export default class ImageLoad extends Command {
  static summary = 'Make an image (or a docker-save tar) usable by the cluster\'s pods';
  static args = { image: Args.string({ required: true, description: 'an image name, or a tar file made by docker save' }) };
  static flags = {
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImageLoad);
    const { dockerRuntime } = await import('../../src/agent/runtime/index.ts');
    const { loadClusterImage } = await import('../../src/cluster/images.ts');
    await loadClusterImage(dockerRuntime(), flags.profile, args.image, (t) => void process.stdout.write(t));
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
