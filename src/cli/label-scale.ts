// `mk label` and `mk scale`: merge patches exactly as kubectl sends them, and its messages.
import type { ResourceType } from '../api/resources.ts';
import { qualifiedSingular } from '../api/resources.ts';
import { checkPathName, type KubeClient } from '../client/index.ts';
import { UserError } from '../lib/errors.ts';
import { isApiError, isNotFound } from '../api/status.ts';
import type { Output } from '../lib/output.ts';
import { resolveType } from './targets.ts';

export interface LabelChanges {
  set: Record<string, string>;
  remove: string[];
}

/** `k=v` sets, `k-` removes; anything else is kubectl's error. */
export function parseLabelArgs(args: string[]): LabelChanges {
  const out: LabelChanges = { set: {}, remove: [] };
  for (const a of args) {
    if (a.endsWith('-') && !a.includes('=')) out.remove.push(a.slice(0, -1));
    else if (a.includes('=')) {
      const i = a.indexOf('=');
      const k = a.slice(0, i);
      if (!k) throw new UserError(`error: invalid label spec: ${a}`);
      out.set[k] = a.slice(i + 1);
    } else throw new UserError(`error: at least one label update is required`);
  }
  if (Object.keys(out.set).length === 0 && out.remove.length === 0) throw new UserError('error: at least one label update is required');
  return out;
}

/** `svc kubia …` or `svc/kubia …`: the object and the remaining arguments. */
export function splitObjectArgs(args: string[]): { r: ResourceType; name: string; rest: string[] } {
  const [first, ...rest] = args;
  if (!first) throw new UserError('error: you must specify a resource type and name');
  if (first.includes('/')) {
    const [t, name] = [first.slice(0, first.indexOf('/')), first.slice(first.indexOf('/') + 1)];
    return { r: resolveType(t), name, rest };
  }
  const [name, ...more] = rest;
  if (!name) throw new UserError(`error: you must specify a name for the ${first}`);
  return { r: resolveType(first), name, rest: more };
}

export async function label(client: KubeClient, args: string[], o: { namespace?: string; overwrite?: boolean }, io: Output): Promise<void> {
  const { r, name, rest } = splitObjectArgs(args);
  const changes = parseLabelArgs(rest);
  const obj = await client.get(r, o.namespace, name);
  const current = obj.metadata.labels ?? {};
  if (!o.overwrite) {
    const clashes = Object.entries(changes.set)
      .filter(([k, v]) => k in current && current[k] !== v)
      .map(([k]) => `'${k}' already has a value (${current[k]}), and --overwrite is false`);
    if (clashes.length > 0) throw new UserError(`error: ${clashes.join(', ')}`);
  }
  const patch: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(changes.set)) if (current[k] !== v) patch[k] = v;
  for (const k of changes.remove) {
    if (k in current) patch[k] = null;
    else io.out(`label "${k}" not found.\n`);
  }
  let verb = 'not labeled';
  if (Object.keys(patch).length > 0) {
    await client.patch(r, o.namespace, name, { metadata: { labels: patch } }, 'merge');
    verb = Object.values(patch).every((v) => v === null) ? 'unlabeled' : 'labeled';
  }
  io.out(`${qualifiedSingular(r)}/${name} ${verb}\n`);
}

export async function scale(client: KubeClient, args: string[], o: { namespace?: string; replicas: number }, io: Output): Promise<void> {
  const { r, name, rest } = splitObjectArgs(args);
  if (rest.length > 0) throw new UserError(`error: unexpected arguments: ${rest.join(' ')}`);
  if (!r.subresources.includes('scale')) throw new UserError(`error: no scaler has been implemented for {"${r.group}" "${r.kind}"}`);
  if (!Number.isInteger(o.replicas) || o.replicas < 0) throw new UserError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  try {
    checkPathName('resource name', name);
  } catch (e) {
    throw new UserError(`error: no objects passed to scale ${(e as Error).message}`);
  }
  try {
    await client.patch(r, o.namespace, name, { spec: { replicas: o.replicas } }, 'merge', { subresource: 'scale' });
  } catch (e) {
    // kubectl resolves the object first; a missing one reads as an empty builder result.
    if (isApiError(e) && isNotFound(e)) throw new UserError(`error: no objects passed to scale ${e.message}`);
    throw e;
  }
  io.out(`${qualifiedSingular(r)}/${name} scaled\n`);
}
