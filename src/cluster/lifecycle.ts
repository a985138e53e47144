// `mk stop` and `mk delete` for a profile. Stop: the node containers (so no kubelet restarts
// anything), then the cluster's pod containers, found by label. Delete: every container with
// the profile's label (nodes first), the network, the volume, the profile file and the
// kubeconfig entries — nothing left behind, whatever state a failed start left.
import { LABELS, ROLES } from '../runtime/labels.ts';
import type { Runtime } from '../runtime/types.ts';
import { deleteClusterAccess, kubeconfigPath } from '../kubeconfig/index.ts';
import { UserError } from '../lib/errors.ts';
import { clusterLabels, networkName, volumeName } from './names.ts';
import { findNodes, sortNodes } from './nodes.ts';
import { deleteProfile, listProfiles, loadProfile } from './profile.ts';

export interface LifecycleEnv {
  rt: Runtime;
  env: NodeJS.ProcessEnv;
  /** the kubeconfig file (default: $KUBECONFIG's first file or ~/.kube/config) */
  kubeconfig?: string;
  out(line: string): void;
}

export function profileNotFound(profile: string): UserError {
  return new UserError(`Profile "${profile}" not found. Run "mk profile list" to view all profiles.`, `To start a cluster, run: "mk start -p ${profile}"`, { exitCode: 85 });
}

/** Stops the nodes, then the pods; returns how many nodes were stopped. */
export async function stopCluster(profile: string, e: LifecycleEnv): Promise<number> {
  const nodes = await findNodes(e.rt, profile);
  if (nodes.length === 0) throw profileNotFound(profile);
  for (const n of nodes) e.out(`Stopping node "${n.name}"  ...\n`);
  await Promise.all(nodes.map((n) => e.rt.stopContainer(n.id, 10)));
  const pods = await e.rt.listContainers({ [LABELS.cluster]: profile, [LABELS.role]: ROLES.pod });
  // a short grace: the nodes are down, nothing waits for these pods to finish cleanly
  await Promise.all(pods.map((p) => e.rt.stopContainer(p.id, 2)));
  e.out(`${nodes.length} node${nodes.length === 1 ? '' : 's'} stopped.\n`);
  return nodes.length;
}

/** Removes everything of the profile; true when there was anything to remove. */
export async function deleteCluster(profile: string, e: LifecycleEnv): Promise<boolean> {
  await e.rt.ping();
  const all = await e.rt.listContainers(clusterLabels(profile), true);
  const hadFile = loadProfileQuiet(profile, e.env);
  if (all.length === 0 && !hadFile) {
    e.out(`Profile "${profile}" not found. Nothing to delete.\n`);
    // a stale kubeconfig entry still goes
    deleteClusterAccess(profile, { path: e.kubeconfig ?? kubeconfigPath(e.env) });
    return false;
  }
  e.out(`Deleting "${profile}" in docker ...\n`);
  const nodes = sortNodes(all);
  await Promise.all(nodes.map((n) => e.rt.removeContainer(n.id)));
  // Pods go after the nodes. A create a kubelet sent just before its node went away can still
  // land in the engine, so the cluster counts as empty only after two empty listings apart.
  for (let round = 0, empty = 0; round < 10 && empty < 2; round++) {
    const left = await e.rt.listContainers(clusterLabels(profile), true);
    if (left.length === 0) {
      empty++;
      if (empty < 2) await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    empty = 0;
    await Promise.all(left.map((c) => e.rt.removeContainer(c.id)));
  }
  await e.rt.removeNetwork(networkName(profile));
  // the pods' volume handles (emptyDir, hostPath, … bound from the state volume) go with it
  for (const v of await e.rt.listVolumes(clusterLabels(profile))) if (v.name !== volumeName(profile)) await e.rt.removeVolume(v.name);
  await e.rt.removeVolume(volumeName(profile));
  deleteProfile(profile, e.env);
  deleteClusterAccess(profile, { path: e.kubeconfig ?? kubeconfigPath(e.env) });
  e.out(`Removed all traces of the "${profile}" cluster.\n`);
  return true;
}

/** Every profile: recorded ones and any cluster whose containers carry an mk.cluster label. */
export async function allProfiles(rt: Runtime, env: NodeJS.ProcessEnv): Promise<string[]> {
  await rt.ping();
  const names = new Set(listProfiles(env));
  for (const c of await rt.listContainers({}, true)) {
    const p = c.labels[LABELS.cluster];
    if (p && (c.labels[LABELS.role] === ROLES.controlPlane || c.labels[LABELS.role] === ROLES.worker)) names.add(p);
  }
  return [...names].sort();
}

export async function deleteAllClusters(e: LifecycleEnv): Promise<void> {
  for (const p of await allProfiles(e.rt, e.env)) await deleteCluster(p, e);
  e.out('Successfully deleted all profiles\n');
}

function loadProfileQuiet(profile: string, env: NodeJS.ProcessEnv): boolean {
  try { return loadProfile(profile, env) !== undefined; } catch { return true; }
}
