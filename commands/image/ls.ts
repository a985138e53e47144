// `mk image ls [-p P]`: the images the cluster's pods can use (the host engine's), full names.
import { ClusterCommand, clusterFlags } from '../../src/cli/cluster-command.ts';
export default class ImageLs extends ClusterCommand {
  static summary = 'List the images the cluster\'s pods can use';
  static flags = {
    ...clusterFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ImageLs);
    const images = await (await this.cluster(flags)).images();
    const { renderImageList } = await import('../../src/cli/cluster-views.ts');
    this.print(renderImageList(images));
  }
}
