// `mk update-context [-p P]` (minikube's update-context): when the profile's kubeconfig context
// no longer says how to reach the running cluster (its API server port, CA or token), rewrite
// it; then make it the current context. Says which, in minikube's words.
import type { Runtime } from '../runtime/types.ts';
import { liveAccess, repairContext } from '../cluster/kube-context.ts';
import { kubeconfigPath } from '../kubeconfig/index.ts';
import type { Output } from './io.ts';
import { say } from './style.ts';

export async function runUpdateContext(rt: Runtime, profile: string, o: { env: NodeJS.ProcessEnv; kubeconfig?: string }, io: Output): Promise<boolean> {
  const live = await liveAccess(rt, profile);
  const r = repairContext(o.kubeconfig ?? kubeconfigPath(o.env), profile, live, { makeCurrent: true });
  if (r.updated) say(io, 'celebrate', contextUpdatedLine(profile, live.port));
  else say(io, 'meh', `No changes required for the "${profile}" context`);
  say(io, 'kubectl', `Current context is "${profile}"`);
  return r.updated;
}

/** minikube's line for a context rewritten to the cluster's address */
export const contextUpdatedLine = (profile: string, port: number) => `"${profile}" context has been updated to point to 127.0.0.1:${port}`;
