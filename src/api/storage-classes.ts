// StorageClass facts every side needs (the binder, the DefaultStorageClass admission, the
// printers): the annotations Kubernetes uses on classes, claims and volumes, which class an
// object asks for, and which class is the default. Pure.
import type { KubeObject } from './types.ts';

export const ANN = {
  boundByController: 'pv.kubernetes.io/bound-by-controller',
  bindCompleted: 'pv.kubernetes.io/bind-completed',
  provisionedBy: 'pv.kubernetes.io/provisioned-by',
  storageProvisioner: 'volume.kubernetes.io/storage-provisioner',
  betaStorageProvisioner: 'volume.beta.kubernetes.io/storage-provisioner',
  betaStorageClass: 'volume.beta.kubernetes.io/storage-class',
  defaultClass: 'storageclass.kubernetes.io/is-default-class',
  betaDefaultClass: 'storageclass.beta.kubernetes.io/is-default-class',
} as const;

/** The class a claim or volume asks for (the beta annotation wins, as upstream). */
export function classOf(obj: KubeObject): string {
  return obj.metadata.annotations?.[ANN.betaStorageClass] ?? obj.spec?.storageClassName ?? '';
}

export function isDefaultClass(sc: KubeObject): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[ANN.defaultClass] === 'true' || a[ANN.betaDefaultClass] === 'true';
}

/** The default StorageClass: the newest of those marked default, then by name (as upstream). */
export function defaultClass(classes: KubeObject[]): KubeObject | undefined {
  const d = classes.filter(isDefaultClass);
  d.sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    return ta !== tb ? tb - ta : (a.metadata.name! < b.metadata.name! ? -1 : 1);
  });
  return d[0];
}

