// `mk image build -t TAG DIR [-p P]`: build DIR (with its Dockerfile) in the engine the pods use.
import { Args, Command, Flags } from '@oclif/core';

export default class ImageBuild extends Command {
  static summary = 'Build an image the cluster\'s pods can use';
  static args = { dir: Args.string({ required: true, description: 'the directory holding the Dockerfile' }) };
  static flags = {
    tag: Flags.string({ char: 't', required: true, description: 'the image name and tag' }),
    profile: Flags.string({ char: 'p', default: 'mk', description: 'the cluster (profile) name' }),
    verbose: Flags.boolean({ default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImageBuild);
    const { dockerRuntime } = await import('../../src/agent/runtime/index.ts');
    const { buildClusterImage } = await import('../../src/cluster/images.ts');
    await buildClusterImage(dockerRuntime(), flags.profile, { tag: flags.tag, dir: args.dir }, (t) => void process.stdout.write(t));
  }

  protected async catch(err: Error): Promise<unknown> {
    throw err;
  }
}
