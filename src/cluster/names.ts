// The names of a profile's Docker objects, defined once: network and volume `mk-<profile>`,
// node containers `<profile>` (control plane) and `<profile>-m02`, `-m03` … (workers), as
// minikube names its nodes.
import { UserError } from '../lib/errors.ts';
import { LABELS, ROLES } from '../runtime/labels.ts';

export const DEFAULT_PROFILE = 'mk';

export const networkName = (profile: string) => `mk-${profile}`;
export const volumeName = (profile: string) => `mk-${profile}`;

/** node number i (1 = control plane) */
export function nodeName(profile: string, i: number): string {
  return i === 1 ? profile : `${profile}-m${String(i).padStart(2, '0')}`;
}

/** Node number of `name` in `profile` (1 for the control plane), or undefined for other names: the inverse of nodeName. */
export function nodeIndex(profile: string, name: string): number | undefined {
  if (name === profile) return 1;
  const m = new RegExp(`^${profile.replace(/[-.]/g, '\\$&')}-m(\\d{2,})$`).exec(name);
  return m ? Number(m[1]) : undefined;
}

export type NodeRole = typeof ROLES.controlPlane | typeof ROLES.worker;

export function nodeLabels(profile: string, role: NodeRole, node: string): Record<string, string> {
  return { [LABELS.cluster]: profile, [LABELS.role]: role, [LABELS.node]: node };
}

export const clusterLabels = (profile: string) => ({ [LABELS.cluster]: profile });

/** Profile names become container and network names: DNS-label-like, as minikube requires. */
export function checkProfileName(p: string): string {
  if (!/^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/.test(p)) {
    throw new UserError(`invalid profile name "${p}"`, 'Use lower-case letters, digits and "-" (at most 42 characters), starting and ending with a letter or digit.');
  }
  return p;
}
