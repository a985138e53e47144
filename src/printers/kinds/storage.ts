// PersistentVolume, PersistentVolumeClaim and StorageClass rows (printers.go
// printPersistentVolume, printPersistentVolumeClaim, printStorageClass), as Kubernetes 1.33 prints
// them: access modes abbreviated (RWO,ROX,RWX,RWOP), capacities in canonical form, `<unset>` for
// a volume mode or attributes class not given, `(default)` after the default class's name.

import type { KubeObject } from '../../api/types.ts';
import { canonicalQuantity } from '../../api/quantity.ts';
import { classOf, isDefaultClass } from '../../api/storage-classes.ts';
import { ageSince } from '../age.ts';
import { AGE_COL, NAME_COL, col, type Printer } from '../columns.ts';

const MODE_ABBREVIATIONS: Array<[string, string]> = [
  ['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP'],
];

/** helper.GetAccessModesAsString: in a fixed order, each once. */
export function accessModesString(modes: unknown): string {
  const list: unknown[] = Array.isArray(modes) ? modes : [];
  return MODE_ABBREVIATIONS.filter(([m]) => list.includes(m)).map(([, a]) => a).join(',');
}

/** GetPersistentVolumeClass / GetPersistentVolumeClaimClass: the beta annotation wins. */
export const storageClassOf = classOf;

const phaseOf = (obj: KubeObject) => (obj.metadata.deletionTimestamp ? 'Terminating' : obj.status?.phase ?? '');

export const persistentVolumePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Capacity', "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
    col('Access Modes', 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes'),
    col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming'),
    col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase'),
    col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding'),
    col('StorageClass', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
    col('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    AGE_COL,
    col('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.', { priority: 1 }),
  ],
  cells(pv, now) {
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    return [
      pv.metadata.name, canonicalQuantity(spec.capacity?.storage) || '0', accessModesString(spec.accessModes), spec.persistentVolumeReclaimPolicy ?? '',
      phaseOf(pv), claim, storageClassOf(pv), spec.volumeAttributesClassName ?? '<unset>', pv.status?.reason ?? '',
      ageSince(pv.metadata.creationTimestamp, now), spec.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1'),
    col('StorageClass', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
    AGE_COL,
    col('VolumeMode', 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.', { priority: 1 }),
  ],
  cells(pvc, now) {
    const spec = pvc.spec ?? {};
    const bound = Boolean(spec.volumeName);
    return [
      pvc.metadata.name, phaseOf(pvc), spec.volumeName ?? '',
      bound ? canonicalQuantity(pvc.status?.capacity?.storage) || '0' : '', bound ? accessModesString(pvc.status?.accessModes) : '',
      storageClassOf(pvc), spec.volumeAttributesClassName ?? '<unset>', ageSince(pvc.metadata.creationTimestamp, now), spec.volumeMode ?? '<unset>',
    ];
  },
};

export const storageClassPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Provisioner', 'provisioner indicates the type of the provisioner.'),
    col('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
    col('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.'),
    col('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    AGE_COL,
  ],
  cells(sc, now) {
    return [
      isDefaultClass(sc) ? `${sc.metadata.name} (default)` : sc.metadata.name, sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate', sc.allowVolumeExpansion ?? false, ageSince(sc.metadata.creationTimestamp, now),
    ];
  },
};
