// Schemas of core/v1 PersistentVolume and PersistentVolumeClaim and storage.k8s.io/v1
// StorageClass. A PersistentVolume's sources reuse the pod volume sources they share; the
// in-tree sources whose PersistentVolume form differs (a secretRef with a namespace) are
// described by their PersistentVolume structs.
import { topLevel } from './meta.ts';
import { nodeSelectorTerm } from './pod.ts';
import { objectReference } from './service.ts';
import { arr, bool, core, i32, resourceList, str, strMap, strings, time } from './types.ts';
import { persistentVolumeClaimSpec, volumeSources as v } from './volume.ts';

const secretReference = core('SecretReference', { name: str, namespace: str });

const persistentVolumeSpec = core('PersistentVolumeSpec', {
  capacity: resourceList,
  gcePersistentDisk: v.gcePersistentDisk,
  awsElasticBlockStore: v.awsElasticBlockStore,
  hostPath: v.hostPath,
  glusterfs: core('GlusterfsPersistentVolumeSource', { endpoints: str, path: str, readOnly: bool, endpointsNamespace: str }, ['endpoints', 'path']),
  nfs: v.nfs,
  rbd: core('RBDPersistentVolumeSource', { monitors: strings, image: str, fsType: str, pool: str, user: str, keyring: str, secretRef: secretReference, readOnly: bool }),
  iscsi: core('ISCSIPersistentVolumeSource', {
    targetPortal: str, iqn: str, lun: i32, iscsiInterface: str, fsType: str, readOnly: bool, portals: strings,
    chapAuthDiscovery: bool, chapAuthSession: bool, secretRef: secretReference, initiatorName: str,
  }),
  cinder: core('CinderPersistentVolumeSource', { volumeID: str, fsType: str, readOnly: bool, secretRef: secretReference }, ['volumeID']),
  cephfs: core('CephFSPersistentVolumeSource', { monitors: strings, path: str, user: str, secretFile: str, secretRef: secretReference, readOnly: bool }),
  fc: v.fc,
  flocker: v.flocker,
  flexVolume: core('FlexPersistentVolumeSource', { driver: str, fsType: str, secretRef: secretReference, readOnly: bool, options: strMap }, ['driver']),
  azureFile: core('AzureFilePersistentVolumeSource', { secretName: str, shareName: str, readOnly: bool, secretNamespace: str }, ['secretName', 'shareName']),
  vsphereVolume: v.vsphereVolume,
  quobyte: v.quobyte,
  azureDisk: v.azureDisk,
  photonPersistentDisk: v.photonPersistentDisk,
  portworxVolume: v.portworxVolume,
  scaleIO: core('ScaleIOPersistentVolumeSource', {
    gateway: str, system: str, secretRef: secretReference, sslEnabled: bool, protectionDomain: str, storagePool: str,
    storageMode: str, volumeName: str, fsType: str, readOnly: bool,
  }),
  local: core('LocalVolumeSource', { path: str, fsType: str }, ['path']),
  storageos: core('StorageOSPersistentVolumeSource', { volumeName: str, volumeNamespace: str, fsType: str, readOnly: bool, secretRef: objectReference }),
  csi: core('CSIPersistentVolumeSource', {
    driver: str, volumeHandle: str, readOnly: bool, fsType: str, volumeAttributes: strMap, controllerPublishSecretRef: secretReference,
    nodeStageSecretRef: secretReference, nodePublishSecretRef: secretReference, controllerExpandSecretRef: secretReference,
    nodeExpandSecretRef: secretReference,
  }, ['driver', 'volumeHandle']),
  accessModes: strings,
  claimRef: objectReference,
  persistentVolumeReclaimPolicy: str,
  storageClassName: str,
  mountOptions: strings,
  volumeMode: str,
  nodeAffinity: core('VolumeNodeAffinity', { required: core('NodeSelector', { nodeSelectorTerms: arr(nodeSelectorTerm) }, ['nodeSelectorTerms']) }),
  volumeAttributesClassName: str,
});

export const persistentVolume = topLevel('io.k8s.api.core.v1.PersistentVolume', {
  spec: persistentVolumeSpec,
  status: core('PersistentVolumeStatus', { phase: str, message: str, reason: str, lastPhaseTransitionTime: time }),
});

const claimCondition = core('PersistentVolumeClaimCondition', {
  type: str, status: str, lastProbeTime: time, lastTransitionTime: time, reason: str, message: str,
}, ['type', 'status']);

export const persistentVolumeClaim = topLevel('io.k8s.api.core.v1.PersistentVolumeClaim', {
  spec: persistentVolumeClaimSpec,
  status: core('PersistentVolumeClaimStatus', {
    phase: str,
    accessModes: strings,
    capacity: resourceList,
    conditions: arr(claimCondition),
    allocatedResources: resourceList,
    allocatedResourceStatuses: strMap,
    currentVolumeAttributesClassName: str,
    modifyVolumeStatus: core('ModifyVolumeStatus', { targetVolumeAttributesClassName: str, status: str }, ['status']),
  }),
});

const STORAGE = 'io.k8s.api.storage.v1.';

export const storageClass = topLevel(STORAGE + 'StorageClass', {
  provisioner: str,
  parameters: strMap,
  reclaimPolicy: str,
  mountOptions: strings,
  allowVolumeExpansion: bool,
  volumeBindingMode: str,
  allowedTopologies: arr(core('TopologySelectorTerm', {
    matchLabelExpressions: arr(core('TopologySelectorLabelRequirement', { key: str, values: strings }, ['key', 'values'])),
  })),
});
