// The base of the commands that act on one cluster (profile): the -p/--profile flag, and the
// profile they act on when it is not given, decided in one place (src/cluster/default-profile.ts:
// the current kubectl context's mk cluster, else the one `mk profile NAME` set, else mk).
// Kept cheap to import: the decision is loaded on first use.
import { Flags } from '@oclif/core';
import { MkCommand } from './base-command.ts';

export const profileFlag = Flags.string({
  char: 'p',
  description: 'the cluster (profile) name (default: the current kubectl context\'s mk cluster, else the one "mk profile" set, else mk)',
});

export const clusterFlags = {
  profile: profileFlag,
  verbose: Flags.boolean({ default: false, description: 'show stack traces on errors' }),
};

export abstract class ClusterCommand extends MkCommand {
  /** -p when given, else the default profile; `env` is whose kubeconfig and ~/.mk to read (the
   * invoking user's under sudo). */
  protected async profile(flags: { profile?: string; kubeconfig?: string }, env: NodeJS.ProcessEnv = process.env): Promise<string> {
    if (flags.profile !== undefined) return flags.profile;
    const { defaultProfile } = await import('../cluster/default-profile.ts');
    return defaultProfile({ env, kubeconfig: flags.kubeconfig });
  }
}
