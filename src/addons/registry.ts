// The addons mk has, as `mk addons list` shows them (sorted by name, minikube's MAINTAINER
// column), and each one's state in the cluster: what kube-system/mk-addons records, else its
// default (the storage addons are on from the start, as in minikube).
import type { KubeClient } from '../client/index.ts';
import { readAddonStates, type AddonState } from './state.ts';

export interface AddonInfo { name: string; maintainer: string; docs: string; enabledByDefault: boolean }

export const ADDONS: readonly AddonInfo[] = [
  { name: 'default-storageclass', maintainer: 'Kubernetes', docs: 'https://minikube.sigs.k8s.io/docs/handbook/persistent_volumes/', enabledByDefault: true },
  { name: 'ingress', maintainer: 'Kubernetes', docs: 'https://kubernetes.io/docs/tasks/access-application-cluster/ingress-minikube/', enabledByDefault: false },
  { name: 'storage-provisioner', maintainer: 'minikube', docs: 'https://minikube.sigs.k8s.io/docs/handbook/persistent_volumes/', enabledByDefault: true },
];

/** The rows of `mk addons list`: each addon mk has and its state in the cluster. */
export async function listAddons(client: Pick<KubeClient, 'get'>): Promise<{ name: string; status: AddonState; maintainer: string; docs: string }[]> {
  const states = await readAddonStates(client);
  return ADDONS.map(({ enabledByDefault, ...a }) => ({ ...a, status: states[a.name] ?? (enabledByDefault ? 'enabled' : 'disabled') }));
}
