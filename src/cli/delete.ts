// `mk delete`: by name, by selector, --all or from manifests; DELETE with the propagation
// policy of --cascade, then (with --wait, the default) wait until each object is gone. With no
// resource argument and no file, `mk delete [--all] [-p P]` deletes clusters, as minikube does.
import type { ResourceType } from '../api/resources.ts';
import { ApiError, isNotFound } from '../api/status.ts';
import type { KubeClient } from '../client/index.ts';
import { UserError } from '../lib/errors.ts';
import { apiErrorMessage, SilentExit } from './errors.ts';
import { deleteAllClusters, type Cluster } from '../cluster/index.ts';
import { processOutput, type Output } from '../lib/output.ts';
import { defaultNamespaces, loadManifests, type ManifestDoc } from './manifests.ts';
import { parseTargets } from './targets.ts';

export interface DeleteOptions {
  namespace?: string;
  labelSelector?: string;
  all?: boolean;
  cascade?: string; // background | foreground | orphan | true | false
  wait?: boolean;
  ignoreNotFound?: boolean;
  pollMs?: number;
}

export function propagation(cascade = 'background'): 'Background' | 'Foreground' | 'Orphan' {
  switch (cascade) {
    case 'background':
    case 'true':
      return 'Background';
    case 'foreground':
      return 'Foreground';
    case 'orphan':
    case 'false':
      return 'Orphan';
    default:
      throw new UserError(`error: invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan".`);
  }
}

/** kubectl's line: `service "kubia" deleted`, `deployment.apps "web" deleted` (1.27–1.33 alike). */
export function deletedMessage(r: ResourceType, name: string): string {
  const what = r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
  return `${what} "${name}" deleted\n`;
}

interface Victim {
  r: ResourceType;
  namespace?: string;
  name: string;
}

async function waitGone(client: KubeClient, v: Victim, pollMs: number): Promise<void> {
  for (;;) {
    try {
      await client.get(v.r, v.namespace, v.name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    await new Promise((res) => setTimeout(res, pollMs));
  }
}

async function deleteAll(client: KubeClient, victims: Victim[], o: DeleteOptions, io: Output, failures: string[]): Promise<void> {
  const policy = propagation(o.cascade);
  const deleted: Victim[] = [];
  for (const v of victims) {
    try {
      await client.delete(v.r, v.namespace, v.name, { propagationPolicy: policy });
      io.out(deletedMessage(v.r, v.name));
      deleted.push(v);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (isNotFound(e) && o.ignoreNotFound) continue;
      failures.push(apiErrorMessage(e));
    }
  }
  if (o.wait !== false) for (const v of deleted) await waitGone(client, v, o.pollMs ?? 200);
}

export async function deleteByArgs(client: KubeClient, args: string[], o: DeleteOptions, io: Output): Promise<void> {
  const targets = parseTargets(args);
  const victims: Victim[] = [];
  for (const t of targets) {
    if (t.names.length > 0) {
      if (o.all || o.labelSelector) throw new UserError('error: name cannot be provided when a selector is specified');
      victims.push(...t.names.map((name) => ({ r: t.r, namespace: o.namespace, name })));
    } else if (o.all || o.labelSelector) {
      const list = await client.list(t.r, { namespace: o.namespace, labelSelector: o.labelSelector });
      victims.push(...list.items.map((i) => ({ r: t.r, namespace: i.metadata.namespace ?? o.namespace, name: i.metadata.name! })));
    } else {
      throw new UserError(`error: resource(s) were provided, but no name was specified`);
    }
  }
  if (victims.length === 0) {
    io.out('No resources found\n'); // kubectl delete: stdout, no namespace
    return;
  }
  const failures: string[] = [];
  await deleteAll(client, victims, o, io, failures);
  for (const f of failures) io.err(`${f}\n`);
  if (failures.length > 0) throw new SilentExit(1);
}

export async function deleteManifests(client: KubeClient, docs: ManifestDoc[], o: DeleteOptions, io: Output): Promise<void> {
  const victims = docs.map((d) => ({ r: d.r, namespace: d.obj.metadata.namespace, name: d.obj.metadata.name ?? '' }));
  const failures: string[] = [];
  await deleteAll(client, victims, o, io, failures);
  for (const f of failures) io.err(`${f}\n`);
  if (failures.length > 0) throw new SilentExit(1);
}

/** What `mk delete ARGS` means: objects (TYPE NAME…, -f) or clusters (no resource argument). */
export type DeleteTarget = { kind: 'objects' } | { kind: 'cluster'; profile?: string } | { kind: 'all-clusters' };

export function deleteTarget(args: string[], f: { filename?: string[]; all?: boolean; profile?: string; selector?: string }): DeleteTarget {
  if (args.length > 0 || (f.filename?.length ?? 0) > 0) {
    if (f.profile !== undefined) throw new UserError('error: -p/--profile deletes a cluster; it cannot be combined with resource arguments or -f');
    return { kind: 'objects' };
  }
  if (f.selector !== undefined) throw new UserError('error: You must provide one or more resources by argument or filename.');
  if (f.all) return { kind: 'all-clusters' };
  // no -p: the command picks the default profile (src/cluster/default-profile.ts)
  return { kind: 'cluster', profile: f.profile };
}

export interface DeleteFlags {
  namespace?: string;
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  all?: boolean;
  cascade?: string;
  wait?: string;
  'ignore-not-found'?: boolean;
  profile?: string;
  kubeconfig?: string;
}

/** `mk delete`: objects (by name, selector, --all or -f), else a cluster (-p, the default one),
 * else with --all every cluster. `client` and `cluster` are made only when needed. */
export async function runDelete(args: string[], f: DeleteFlags, deps: { client(): Promise<KubeClient>; cluster(profile?: string): Promise<Cluster> }, io: Output = processOutput): Promise<void> {
  const target = deleteTarget(args, f);
  if (target.kind === 'all-clusters') return deleteAllClusters({ kubeconfig: f.kubeconfig, out: (t) => io.out(t) });
  if (target.kind === 'cluster') {
    await (await deps.cluster(target.profile)).delete();
    return;
  }
  const o = { namespace: f.namespace, labelSelector: f.selector, all: f.all, cascade: f.cascade, wait: f.wait !== 'false', ignoreNotFound: f['ignore-not-found'] };
  const client = await deps.client();
  if (!f.filename) return deleteByArgs(client, args, o, io);
  if (args.length > 0) throw new UserError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
  const docs = loadManifests(f.filename, { recursive: f.recursive });
  defaultNamespaces(docs, client.ns(f.namespace), f.namespace !== undefined);
  await deleteManifests(client, docs, o, io);
}
