// The addons mk has, for `mk addons list|enable|disable`: each one's name, maintainer and the
// calls that enable, disable and wait for it, and the rows of the list with each addon's state
// in the cluster (ConfigMap kube-system/mk-addons). An addon is listed only when it really works.
import { UserError } from '../lib/errors.ts';
import { ingressAddon } from './ingress.ts';
import { defaultStorageClassAddon, storageProvisionerAddon } from './storage.ts';
import { readAddonStates, type AddonState } from './state.ts';
import type { Addon, AddonClient } from './types.ts';

export type { Addon, AddonClient } from './types.ts';

export const ADDONS: readonly Addon[] = [defaultStorageClassAddon, ingressAddon, storageProvisionerAddon];

export interface AddonRow { name: string; status: AddonState; maintainer: string; docs: string }

/** The addon of that name; a UserError naming the ones there are otherwise. */
export function findAddon(name: string): Addon {
  const a = ADDONS.find((x) => x.name === name);
  if (!a) throw new UserError(`The '${name}' addon is not a valid addon packaged with mk.`, `The addons mk has: ${ADDONS.map((x) => x.name).join(', ')} (see "mk addons list").`);
  return a;
}

/** Every addon and its state, sorted by name as minikube lists them. */
export async function addonRows(client: Pick<AddonClient, 'get'>): Promise<AddonRow[]> {
  const states = await readAddonStates(client);
  return [...ADDONS].sort((a, b) => a.name.localeCompare(b.name)).map((a) => ({ name: a.name, status: states[a.name] ?? (a.enabledByDefault ? 'enabled' : 'disabled'), maintainer: a.maintainer, docs: a.docs }));
}
