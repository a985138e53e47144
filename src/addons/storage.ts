// minikube's two storage addons, enabled unless disabled (their state in kube-system/mk-addons
// says `disabled`):
//   default-storageclass — the StorageClass `standard` (provisioner k8s.io/minikube-hostpath,
//     reclaimPolicy Delete, Immediate), marked default; the control plane makes it while the
//     addon is enabled. Disabling marks it not default (annotation "false"), as minikube does;
//     enabling marks it default again and every other class not default.
//   storage-provisioner — the control plane's provisioner (src/controllers/storage) makes a
//     hostPath volume under /tmp/hostpath-provisioner/<namespace>/<claim> for each claim of such
//     a class, and removes it with its claim when the reclaim policy is Delete. Disabled, it
//     provisions nothing (claims wait, as with minikube's provisioner pod gone).
import { R } from '../api/resources.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import { ANN } from '../api/storage-classes.ts';
import type { KubeObject } from '../api/types.ts';
import type { KubeClient } from '../client/index.ts';
import { setAddonState, type AddonState } from './state.ts';
import type { Addon } from './types.ts';

export const DEFAULT_STORAGECLASS = 'default-storageclass';
export const STORAGE_PROVISIONER = 'storage-provisioner';
export const STANDARD_CLASS = 'standard';
export const HOSTPATH_PROVISIONER = 'k8s.io/minikube-hostpath';
export const DEFAULT_CLASS_ANNOTATION = ANN.defaultClass;

const STORAGECLASSES = R.storageclasses;

/** Is an addon that is on by default enabled, given its recorded state? */
export const enabledByDefault = (state: AddonState | string | undefined): boolean => state !== 'disabled';

/** The StorageClass minikube's default-storageclass addon applies. */
export function standardStorageClass(): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: {
      name: STANDARD_CLASS,
      labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' },
      annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
    },
    provisioner: HOSTPATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
}

type StorageClient = Pick<KubeClient, 'get' | 'create' | 'patch' | 'list'>;

/** `standard` exists; `markDefault`: it is the default and no other class is. */
export async function ensureStandardClass(client: StorageClient, markDefault: boolean): Promise<void> {
  try {
    await client.create(STORAGECLASSES, undefined, standardStorageClass());
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    if (markDefault) await client.patch(STORAGECLASSES, undefined, STANDARD_CLASS, { metadata: { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } } }, 'merge');
  }
  if (!markDefault) return;
  for (const sc of (await client.list(STORAGECLASSES)).items) {
    if (sc.metadata.name === STANDARD_CLASS || sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] !== 'true') continue;
    await client.patch(STORAGECLASSES, undefined, sc.metadata.name!, { metadata: { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'false' } } }, 'merge');
  }
}

export async function enableDefaultStorageClass(client: StorageClient): Promise<void> {
  await setAddonState(client, DEFAULT_STORAGECLASS, 'enabled');
  await ensureStandardClass(client, true);
}

export async function disableDefaultStorageClass(client: StorageClient): Promise<void> {
  await setAddonState(client, DEFAULT_STORAGECLASS, 'disabled');
  await client.patch(STORAGECLASSES, undefined, STANDARD_CLASS, { metadata: { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'false' } } }, 'merge').catch((e) => {
    if (!isNotFound(e)) throw e;
  });
}

export const enableStorageProvisioner = (client: StorageClient) => setAddonState(client, STORAGE_PROVISIONER, 'enabled');
export const disableStorageProvisioner = (client: StorageClient) => setAddonState(client, STORAGE_PROVISIONER, 'disabled');

const STORAGE_DOCS = 'https://minikube.sigs.k8s.io/docs/handbook/persistent_volumes/';

export const defaultStorageClassAddon: Addon = {
  name: DEFAULT_STORAGECLASS, maintainer: 'Kubernetes', docs: STORAGE_DOCS, enabledByDefault: true,
  uses: ['the StorageClass standard (provisioner k8s.io/minikube-hostpath), marked default'],
  enable: enableDefaultStorageClass, disable: disableDefaultStorageClass,
};

export const storageProvisionerAddon: Addon = {
  name: STORAGE_PROVISIONER, maintainer: 'minikube', docs: STORAGE_DOCS, enabledByDefault: true,
  uses: ['the control plane provisions a hostPath volume on the node for each claim of class standard'],
  enable: enableStorageProvisioner, disable: disableStorageProvisioner,
};
