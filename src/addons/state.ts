// Where addon state lives: the ConfigMap kube-system/mk-addons, whose data maps an addon's name
// to "enabled" or "disabled" (absent: disabled). Kept in the cluster, so it survives `mk stop` /
// `mk start`; node agents watch it and start or stop what the addon runs. Reads and writes go
// through the API client; nothing here knows what an addon does (ingress.ts does).
import { R } from '../api/resources.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import type { KubeClient } from '../client/index.ts';

export const ADDONS_NAMESPACE = 'kube-system';
export const ADDONS_CONFIGMAP = 'mk-addons';
export type AddonState = 'enabled' | 'disabled';

const CONFIGMAPS = R.configmaps;

export type AddonsClient = Pick<KubeClient, 'get' | 'create' | 'patch'>;

/** Is the addon enabled according to this ConfigMap (undefined: none yet, so no)? */
export function isEnabled(cm: KubeObject | undefined, addon: string): boolean {
  return (cm as { data?: Record<string, string> } | undefined)?.data?.[addon] === 'enabled';
}

/** Every addon's recorded state ({} before any addon was ever enabled). */
export async function readAddonStates(client: Pick<KubeClient, 'get'>): Promise<Record<string, AddonState>> {
  try {
    const cm = await client.get(CONFIGMAPS, ADDONS_NAMESPACE, ADDONS_CONFIGMAP);
    const out: Record<string, AddonState> = {};
    for (const [k, v] of Object.entries((cm as { data?: Record<string, string> }).data ?? {})) out[k] = v === 'enabled' ? 'enabled' : 'disabled';
    return out;
  } catch (e) {
    if (isNotFound(e)) return {};
    throw e;
  }
}

/** Records an addon's state, creating the ConfigMap on first use. */
export async function setAddonState(client: AddonsClient, addon: string, state: AddonState): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.patch(CONFIGMAPS, ADDONS_NAMESPACE, ADDONS_CONFIGMAP, { data: { [addon]: state } }, 'merge');
      return;
    } catch (e) {
      if (!isNotFound(e) || attempt > 0) throw e;
    }
    try {
      await client.create(CONFIGMAPS, ADDONS_NAMESPACE, {
        apiVersion: 'v1', kind: 'ConfigMap',
        metadata: { name: ADDONS_CONFIGMAP, namespace: ADDONS_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'mk' } },
        data: { [addon]: state },
      });
      return;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e; // created meanwhile: patch it
    }
  }
}
