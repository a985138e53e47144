// The base of the commands that act on one cluster (profile): the -p/--profile flag, the
// profile they act on when it is not given (decided once, in src/cluster: the current kubectl
// context's mk cluster, else the one `mk profile NAME` set, else mk), and the Cluster object
// they make their one call on. Kept cheap to import: src/cluster is loaded on first use.
import { Flags } from '@oclif/core';
import type { Cluster } from '../cluster/index.ts';
import { MkCommand } from './base-command.ts';

export const profileFlag = Flags.string({
  char: 'p',
  description: 'the cluster (profile) name (default: the current kubectl context\'s mk cluster, else the one "mk profile" set, else mk)',
});

export const clusterFlags = {
  profile: profileFlag,
  verbose: Flags.boolean({ default: false, description: 'show stack traces on errors' }),
};

interface ProfileFlags { profile?: string; kubeconfig?: string }

export abstract class ClusterCommand extends MkCommand {
  /** -p when given, else the default profile; `env` is whose kubeconfig and ~/.mk to read (the
   * invoking user's under sudo). */
  protected async profile(flags: ProfileFlags, env: NodeJS.ProcessEnv = process.env): Promise<string> {
    if (flags.profile !== undefined) return flags.profile;
    const { defaultProfile } = await import('../cluster/index.ts');
    return defaultProfile({ env, kubeconfig: flags.kubeconfig });
  }

  /** The cluster the flags name, writing its progress lines to stdout. */
  protected async cluster(flags: ProfileFlags, env: NodeJS.ProcessEnv = process.env): Promise<Cluster> {
    const { Cluster } = await import('../cluster/index.ts');
    return Cluster.open(await this.profile(flags, env), { env, kubeconfig: flags.kubeconfig, out: (t) => this.print(t) });
  }
}
