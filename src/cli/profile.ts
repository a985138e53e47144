// `mk profile [NAME]` (minikube's `profile`): without NAME, the profile commands act on now;
// with NAME (`default` is mk), record it as the default and make its kubectl context current,
// in minikube's words. A name with no cluster is not recorded: a tip says how to create it.
import { defaultProfile, saveDefaultProfile } from '../cluster/default-profile.ts';
import { checkProfileName, DEFAULT_PROFILE } from '../cluster/names.ts';
import { loadProfile } from '../cluster/profile.ts';
import { kubeconfigPath, setCurrentContext } from '../kubeconfig/index.ts';
import type { Output } from './io.ts';
import { say } from './style.ts';

export function runProfile(name: string | undefined, o: { env: NodeJS.ProcessEnv; kubeconfig?: string }, io: Output): void {
  if (name === undefined) {
    io.out(`${defaultProfile(o)}\n`);
    return;
  }
  const profile = checkProfileName(name === 'default' ? DEFAULT_PROFILE : name);
  if (!loadProfile(profile, o.env)) {
    say(io, 'tip', `if you want to create a profile you can by this command: mk start -p ${profile}`, { err: true });
    return;
  }
  saveDefaultProfile(profile, o.env);
  const path = o.kubeconfig ?? kubeconfigPath(o.env);
  if (!setCurrentContext(path, profile)) {
    say(io, 'sad', `Error while setting kubectl current context :  no context "${profile}" in ${path}; "mk update-context -p ${profile}" writes it`, { err: true });
  }
  say(io, 'success', `mk profile was successfully set to ${profile}`);
}
