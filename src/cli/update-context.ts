// `mk update-context [-p P]` (minikube's update-context): when the profile's kubeconfig context
// no longer says how to reach the running cluster (its API server port, CA or token), rewrite
// it; then make it the current context. Says which, in minikube's words.
import type { Cluster } from '../cluster/index.ts';
import { processOutput, type Output } from '../lib/output.ts';
import { say } from './style.ts';

export async function runUpdateContext(cluster: Cluster, io: Output = processOutput): Promise<boolean> {
  const r = await cluster.updateContext();
  if (r.updated) say(io, 'celebrate', contextUpdatedLine(cluster.profile, r.port));
  else say(io, 'meh', `No changes required for the "${cluster.profile}" context`);
  say(io, 'kubectl', `Current context is "${cluster.profile}"`);
  return r.updated;
}

/** minikube's line for a context rewritten to the cluster's address */
export const contextUpdatedLine = (profile: string, port: number) => `"${profile}" context has been updated to point to 127.0.0.1:${port}`;
