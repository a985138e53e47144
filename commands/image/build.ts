// `mk image build -t TAG DIR [-p P]`: build DIR (with its Dockerfile) in the engine the pods use.
import { Args, Flags } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';
export default class ImageBuild extends ClusterCommand {
  static summary = 'Build an image the cluster\'s pods can use';
  static args = { dir: Args.string({ required: true, description: 'the directory holding the Dockerfile' }) };
  static flags = {
    tag: Flags.string({ char: 't', required: true, description: 'the image name and tag' }),
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImageBuild);
    await (await this.cluster(flags)).buildImage({ tag: flags.tag, dir: args.dir });
  }
}
