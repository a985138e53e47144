// `mk profile [NAME]` (minikube's `profile`): without NAME, the profile commands act on now;
// with NAME (`default` is mk), record it as the default and make its kubectl context current,
// in minikube's words. A name with no cluster is not recorded: a tip says how to create it.
// `mk profile list`: minikube's table of every profile.
import { checkProfileName, DEFAULT_PROFILE, defaultProfile, listProfiles, setDefaultProfile, type ClusterEnv } from '../cluster/index.ts';
import { UserError } from '../lib/errors.ts';
import { processOutput, type Output } from '../lib/output.ts';
import { renderProfiles } from './cluster-views.ts';
import { say } from './style.ts';

export async function runProfile(name: string | undefined, o: Pick<ClusterEnv, 'env' | 'kubeconfig'> = {}, io: Output = processOutput): Promise<void> {
  if (name === undefined) {
    io.out(`${await defaultProfile(o)}\n`);
    return;
  }
  const profile = checkProfileName(name === 'default' ? DEFAULT_PROFILE : name);
  const r = await setDefaultProfile(profile, o);
  if (!r.known) {
    say(io, 'tip', `if you want to create a profile you can by this command: mk start -p ${profile}`, { err: true });
    return;
  }
  if (!r.contextSet) {
    say(io, 'sad', `Error while setting kubectl current context :  no context "${profile}" in ${r.kubeconfig}; "mk update-context -p ${profile}" writes it`, { err: true });
  }
  say(io, 'success', `mk profile was successfully set to ${profile}`);
}

export async function runProfileList(o: Pick<ClusterEnv, 'env' | 'rt'> = {}, io: Output = processOutput): Promise<void> {
  const rows = await listProfiles(o);
  if (rows.length === 0) throw new UserError('No mk profile was found.', 'To start a cluster, run: "mk start"', { exitCode: 85 });
  io.out(renderProfiles(rows));
}
