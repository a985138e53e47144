// Turns what a user types after get/describe/delete/label (`svc kubia`, `svc,deploy`,
// `svc/kubia deploy/web`, `all`) into resource types and names, in kubectl's order.
import { RESOURCES, resolveResource } from '../api/resources.ts';
import type { ResourceType } from '../api/resources.ts';
import { checkPathName } from '../client/paths.ts';
import { UserError } from '../lib/errors.ts';

export interface Target {
  r: ResourceType;
  names: string[]; // empty: every object (of the namespace / selector)
}

/** kubectl's `get all` expansion: the `all` category, core group first. */
export function allCategory(): ResourceType[] {
  return RESOURCES.filter((r) => r.categories.includes('all'));
}

export function resolveType(name: string): ResourceType {
  const r = resolveResource(name);
  if (!r) throw new UserError(`error: the server doesn't have a resource type "${name}"`);
  return r;
}

function expandTypes(list: string): ResourceType[] {
  const out: ResourceType[] = [];
  for (const t of list.split(',').filter(Boolean)) {
    for (const r of t === 'all' ? allCategory() : [resolveType(t)]) if (!out.includes(r)) out.push(r);
  }
  return out;
}

/**
 * Parses positional arguments as kubectl's resource builder does. Every name is checked first
 * (`invalid resource name "..": [may not be '..']`), so a bad one stops the command before any
 * request (kubectl checks each as it sends it, after acting on the names before it).
 */
export function parseTargets(args: string[]): Target[] {
  const targets = parseTargetArgs(args);
  for (const t of targets) for (const name of t.names) checkPathName('resource name', name);
  return targets;
}

function parseTargetArgs(args: string[]): Target[] {
  if (args.length === 0) throw new UserError('error: You must specify the type of resource to get.', 'Use "mk api-resources" for a complete list of supported resources.');
  if (args.some((a) => a.includes('/'))) {
    const out: Target[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash < 0) throw new UserError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'mk get resource/<resource_name>' instead of 'mk get resource resource/<resource_name>'`);
      const r = resolveType(a.slice(0, slash));
      const name = a.slice(slash + 1);
      if (!name) throw new UserError(`error: arguments in resource/name form must have a single resource and name`);
      const existing = out.find((t) => t.r === r);
      if (existing) existing.names.push(name);
      else out.push({ r, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const listed = types!.split(',').filter(Boolean);
  if (names.length > 0 && listed.length > 1) {
    // kubectl's builder makes `svc,ep web` into `svc/web ep/web` (`all` is no type there)
    const out: Target[] = [];
    for (const r of listed.map(resolveType)) if (!out.some((t) => t.r === r)) out.push({ r, names: [...names] });
    return out;
  }
  const rs = expandTypes(types!);
  if (names.length > 0 && rs.length > 1) throw new UserError(`error: you must specify only one resource`);
  return rs.map((r) => ({ r, names: [...names] }));
}
