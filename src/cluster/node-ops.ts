// `mk node list|add|delete` on a profile's cluster. Add: a worker container (the next free
// number, IP and pod range; the same spec `mk start` gives workers) joined to the running
// cluster, waited for until its Node is Ready, then recorded in the profile file; a failure
// removes what was made. Delete: cordon, delete the node's pods through the API (their
// controllers recreate them elsewhere; DaemonSet pods are left, as kubectl drain
// --ignore-daemonsets leaves them), remove the node container and its pods' containers,
// delete the Node object, update the profile file.
import { isMirrorPod } from '../agent/dns/mirror.ts';
import { R } from '../api/resources.ts';
import { LABELS, ROLES } from '../runtime/labels.ts';
import type { Runtime } from '../runtime/types.ts';
import type { KubeClient } from '../client/index.ts';
import type { KubeObject } from '../api/types.ts';
import { isNotFound } from '../api/status.ts';
import { UserError } from '../lib/errors.ts';
import { logTail, poll } from './access.ts';
import { connectCluster } from './cluster-client.ts';
import { ensureNodeImageOf, nodeImageOf, type LaunchOptions } from './image/launch.ts';
import { profileNotFound } from './lifecycle.ts';
import { networkName } from './names.ts';
import { findNodes } from './nodes.ts';
import { nextWorker, resolveNodeName, type NewNode } from './node-plan.ts';
import { loadProfile, saveProfile, type Profile } from './profile.ts';
import { startOptions } from './start.ts';
import { nodeSpec } from './steps/nodes.ts';
import { isReadySince } from './steps/wait.ts';

export interface NodeOpsEnv {
  rt: Runtime;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  /** how long `add` waits for the Node to be Ready (default 120 s) */
  readyTimeoutMs?: number;
  /** how long `delete` waits for the node's pods to terminate before removing them (default 60 s) */
  drainTimeoutMs?: number;
}

const NODES = R.nodes;
const PODS = R.pods;

function mustProfile(profile: string, env: NodeJS.ProcessEnv): Profile {
  const p = loadProfile(profile, env);
  if (!p) throw profileNotFound(profile);
  return p;
}

/** Every node of the profile with its address on the cluster network. */
export async function listNodes(profile: string, e: Pick<NodeOpsEnv, 'rt' | 'env'>): Promise<Array<{ name: string; ip: string }>> {
  const nodes = await findNodes(e.rt, profile);
  if (nodes.length === 0) throw profileNotFound(profile);
  const recorded = loadProfile(profile, e.env)?.nodes ?? [];
  const rows = [];
  for (const n of nodes) {
    let ip = recorded.find((r) => r.name === n.name)?.ip;
    if (!ip) ip = (await e.rt.inspectContainer(n.id)).ips[networkName(profile)] ?? '';
    rows.push({ name: n.name, ip });
  }
  return rows;
}

export async function addNode(profile: string, o: { worker?: boolean }, e: NodeOpsEnv): Promise<NewNode> {
  if (o.worker === false) {
    throw new UserError('mk adds worker nodes only: a cluster has one control plane', `Run "mk node add -p ${profile}" to add a worker.`);
  }
  const prof = mustProfile(profile, e.env);
  const opts = startOptions({ profile, env: e.env, proxyMode: prof.proxyMode });
  mustRunThisMk(prof, opts);
  const { client, nodes } = await connectCluster(e.rt, profile);
  try {
    const node = nextWorker(profile, prof.subnet, [...prof.nodes.map((n) => n.name), ...nodes.map((n) => n.name)]);
    e.out(`Adding node ${node.name} to cluster ${profile} ...\n`);
    const image = await nodeImageFor(e.rt, opts);
    const startedAt = Math.floor(Date.now() / 1000) * 1000;
    let id: string | undefined;
    try {
      const cpIP = prof.nodes.find((n) => n.role === 'control-plane')?.ip ?? (await e.rt.inspectContainer(nodes[0]!.id)).ips[networkName(profile)]!;
      id = await e.rt.createContainer(nodeSpec(opts, { ...node, role: ROLES.worker }, cpIP, image));
      await e.rt.startContainer(id);
      await waitReady(e, client, node.name, id, startedAt);
    } catch (err) {
      if (id) await e.rt.removeContainer(id).catch(() => {});
      await deleteNodeObject(client, node.name).catch(() => {});
      throw err instanceof UserError ? err : new UserError(`could not add node ${node.name}: ${err instanceof Error ? err.message : String(err)}`, 'Nothing of the new node was kept; run it with --verbose for details.', { cause: err });
    }
    saveProfile({ ...prof, nodes: [...prof.nodes, { name: node.name, ip: node.ip, role: 'worker', podCIDR: node.podCIDR }] }, e.env);
    e.out(`Node ${node.name} added to cluster ${profile}\n`);
    return node;
  } finally {
    client.close();
  }
}

/** A new node runs this mk's agent: the cluster's recorded node image must be this mk's. */
function mustRunThisMk(prof: Profile, o: LaunchOptions): void {
  const mine = nodeImageOf(o);
  if (prof.image === mine) return;
  throw new UserError(`cluster ${prof.name} runs node image ${prof.image}, made by another mk than this one (${mine})`,
    `Roll its nodes to this mk first, keeping every object: mk stop -p ${prof.name} && mk start -p ${prof.name}`);
}

/** This mk's node image, rebuilt (offline) when it was removed from the engine since. */
async function nodeImageFor(rt: Runtime, o: LaunchOptions): Promise<string> {
  const mine = nodeImageOf(o);
  if (await rt.imageExists(mine)) return mine;
  return (await ensureNodeImageOf(rt, o)).tag;
}

async function waitReady(e: NodeOpsEnv, client: KubeClient, name: string, id: string, since: number): Promise<void> {
  const timeoutMs = e.readyTimeoutMs ?? 120_000;
  await poll(async () => {
    const st = await e.rt.inspectContainer(id);
    if (st.status !== 'running') {
      const tail = await logTail(e.rt, id);
      throw new UserError(`the mk agent in node ${name} stopped (${st.status}, exit code ${st.exitCode})${tail ? `:\n${tail}` : ''}`, 'Nothing of the new node was kept.');
    }
    const node = await client.get(NODES, undefined, name);
    return isReadySince(node.status?.conditions ?? [], since) ? true : undefined;
  }, timeoutMs, () => new UserError(`node ${name} was not Ready in ${timeoutMs / 1000}s`, 'Nothing of the new node was kept; see "mk logs" of the control plane with --verbose.'), 200);
}

export async function deleteNode(profile: string, nameArg: string, e: NodeOpsEnv): Promise<string> {
  const name = resolveNodeName(profile, nameArg);
  const prof = mustProfile(profile, e.env);
  const { client, nodes } = await connectCluster(e.rt, profile);
  try {
    const target = nodes.find((n) => n.name === name);
    const recorded = prof.nodes.some((n) => n.name === name);
    if (!target && !recorded) {
      throw new UserError(`node ${name} not found in profile "${profile}"`, `Nodes: ${nodes.map((n) => n.name).join(', ')}`);
    }
    if (target?.role === 'control-plane' || name === profile) {
      throw new UserError(`node ${name} is the control plane of "${profile}" and cannot be deleted`, `To delete the whole cluster, run "mk delete -p ${profile}".`);
    }
    e.out(`Deleting node ${name} from cluster ${profile}\n`);
    const evicted = await drain(client, name, e);
    e.out(`Drained node ${name}: ${evicted} pod${evicted === 1 ? '' : 's'} evicted\n`);
    e.out(`Deleting "${name}" in docker ...\n`);
    if (target) await e.rt.removeContainer(target.id);
    for (let round = 0; round < 3; round++) {
      const left = await e.rt.listContainers({ [LABELS.cluster]: profile, [LABELS.role]: ROLES.pod, [LABELS.node]: name }, true);
      if (left.length === 0) break;
      await Promise.all(left.map((c) => e.rt.removeContainer(c.id)));
    }
    await deleteNodeObject(client, name);
    saveProfile({ ...prof, nodes: prof.nodes.filter((n) => n.name !== name) }, e.env);
    e.out(`Node ${name} deleted\n`);
    return name;
  } finally {
    client.close();
  }
}

/** Cordons the node and deletes its pods (with their grace; what is left at the deadline goes
 * at once); returns how many pods were deleted. A missing Node object means nothing to drain. */
async function drain(client: KubeClient, name: string, e: NodeOpsEnv): Promise<number> {
  try {
    await client.patch(NODES, undefined, name, { spec: { unschedulable: true } }, 'merge');
  } catch (err) {
    if (isNotFound(err)) return 0;
    throw err;
  }
  // As kubectl drain --ignore-daemonsets, DaemonSet pods are left: their controller would put them
  // back on the node at once; they go with the node (their controller removes a gone node's pods).
  const isDaemon = (p: KubeObject) => (p.metadata.ownerReferences ?? []).some((o) => o.controller && o.kind === 'DaemonSet');
  const onNode = async (): Promise<KubeObject[]> => (await client.list(PODS, { allNamespaces: true, fieldSelector: `spec.nodeName=${name}` })).items.filter((p) => !isDaemon(p));
  // As kubectl drain, mirror pods (the node agent's own, in kube-system) are not evicted: they
  // go with the node, at once, since their agent goes too.
  const all = await onNode();
  const pods = all.filter((p) => !isMirrorPod(p));
  await Promise.all(all.filter(isMirrorPod).map((p) => ignoreNotFound(client.delete(PODS, p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds: 0 }))));
  await Promise.all(pods.map((p) => ignoreNotFound(client.delete(PODS, p.metadata.namespace, p.metadata.name!))));
  const timeoutMs = e.drainTimeoutMs ?? 60_000;
  await poll(async () => ((await onNode()).length === 0 ? true : undefined), timeoutMs, () => new Error('drain timed out'), 250).catch(async () => {
    for (const p of await onNode()) await ignoreNotFound(client.delete(PODS, p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds: 0 }));
  });
  return pods.length;
}

async function deleteNodeObject(client: KubeClient, name: string): Promise<void> {
  await ignoreNotFound(client.delete(NODES, undefined, name));
}

async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
