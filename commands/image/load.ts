// `mk image load IMAGE|FILE.tar [-p P]`: a tar is loaded into the engine; an image already
// there is usable at once (pods run on the host's engine).
import { Args } from '@oclif/core';
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';
export default class ImageLoad extends ClusterCommand {
  static summary = 'Make an image (or a docker-save tar) usable by the cluster\'s pods';
  static args = { image: Args.string({ required: true, description: 'an image name, or a tar file made by docker save' }) };
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImageLoad);
    await (await this.cluster(flags)).loadImage(args.image);
  }
}
