// `mk image ls [-p P]`: the images the cluster's pods can use (the host engine's), full names.
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';

export default class ImageLs extends ClusterCommand {
  static summary = 'List the images the cluster\'s pods can use';
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ImageLs);
    const profile = await this.profile(flags);
    const { dockerRuntime } = await import('../../src/runtime/index.ts');
    const { listClusterImages, renderImageList } = await import('../../src/cluster/images.ts');
    process.stdout.write(renderImageList(await listClusterImages(dockerRuntime(), profile)));
  }
}
