// Schemas of core/v1 Volume with every volume source a pod manifest may carry (current and
// deprecated in-tree ones), and the PersistentVolumeClaim template of ephemeral volumes.
import { labelSelector, objectMeta } from './meta.ts';
import { localObjectReference, objectFieldSelector, resourceFieldSelector } from './container.ts';
import { arr, bool, core, i32, i64, quantity, resourceList, str, strMap, strings } from './types.ts';

const keyToPath = core('KeyToPath', { key: str, path: str, mode: i32 }, ['key', 'path']);
const downwardAPIVolumeFile = core(
  'DownwardAPIVolumeFile',
  { path: str, fieldRef: objectFieldSelector, resourceFieldRef: resourceFieldSelector, mode: i32 },
  ['path'],
);

export const persistentVolumeClaimSpec = core('PersistentVolumeClaimSpec', {
  accessModes: strings,
  selector: labelSelector,
  resources: core('VolumeResourceRequirements', { limits: resourceList, requests: resourceList }),
  volumeName: str,
  storageClassName: str,
  volumeMode: str,
  dataSource: core('TypedLocalObjectReference', { apiGroup: str, kind: str, name: str }, ['kind', 'name']),
  dataSourceRef: core('TypedObjectReference', { apiGroup: str, kind: str, name: str, namespace: str }, ['kind', 'name']),
  volumeAttributesClassName: str,
});

const volumeProjection = core('VolumeProjection', {
  secret: core('SecretProjection', { name: str, items: arr(keyToPath), optional: bool }),
  downwardAPI: core('DownwardAPIProjection', { items: arr(downwardAPIVolumeFile) }),
  configMap: core('ConfigMapProjection', { name: str, items: arr(keyToPath), optional: bool }),
  serviceAccountToken: core('ServiceAccountTokenProjection', { audience: str, expirationSeconds: i64, path: str }, ['path']),
  clusterTrustBundle: core('ClusterTrustBundleProjection', { name: str, signerName: str, labelSelector, optional: bool, path: str }, ['path']),
  podCertificate: core('PodCertificateProjection', {
    signerName: str,
    keyType: str,
    maxExpirationSeconds: i32,
    credentialBundlePath: str,
    keyPath: str,
    certificateChainPath: str,
  }),
});

/** Every source of a pod volume, by field (a PersistentVolume reuses those it shares). */
export const volumeSources = volumeSourceFields();

export const volume = core('Volume', { name: str, ...volumeSources }, ['name']);

function volumeSourceFields() {
  return {
    hostPath: core('HostPathVolumeSource', { path: str, type: str }, ['path']),
    emptyDir: core('EmptyDirVolumeSource', { medium: str, sizeLimit: quantity }),
    gcePersistentDisk: core('GCEPersistentDiskVolumeSource', { pdName: str, fsType: str, partition: i32, readOnly: bool }, ['pdName']),
    awsElasticBlockStore: core('AWSElasticBlockStoreVolumeSource', { volumeID: str, fsType: str, partition: i32, readOnly: bool }, ['volumeID']),
    gitRepo: core('GitRepoVolumeSource', { repository: str, revision: str, directory: str }, ['repository']),
    secret: core('SecretVolumeSource', { secretName: str, items: arr(keyToPath), defaultMode: i32, optional: bool }),
    nfs: core('NFSVolumeSource', { server: str, path: str, readOnly: bool }, ['server', 'path']),
    iscsi: core('ISCSIVolumeSource', {
      targetPortal: str,
      iqn: str,
      lun: i32,
      iscsiInterface: str,
      fsType: str,
      readOnly: bool,
      portals: strings,
      chapAuthDiscovery: bool,
      chapAuthSession: bool,
      secretRef: localObjectReference,
      initiatorName: str,
    }),
    glusterfs: core('GlusterfsVolumeSource', { endpoints: str, path: str, readOnly: bool }, ['endpoints', 'path']),
    persistentVolumeClaim: core('PersistentVolumeClaimVolumeSource', { claimName: str, readOnly: bool }, ['claimName']),
    rbd: core('RBDVolumeSource', {
      monitors: strings,
      image: str,
      fsType: str,
      pool: str,
      user: str,
      keyring: str,
      secretRef: localObjectReference,
      readOnly: bool,
    }),
    flexVolume: core('FlexVolumeSource', { driver: str, fsType: str, secretRef: localObjectReference, readOnly: bool, options: strMap }, ['driver']),
    cinder: core('CinderVolumeSource', { volumeID: str, fsType: str, readOnly: bool, secretRef: localObjectReference }, ['volumeID']),
    cephfs: core('CephFSVolumeSource', {
      monitors: strings,
      path: str,
      user: str,
      secretFile: str,
      secretRef: localObjectReference,
      readOnly: bool,
    }),
    flocker: core('FlockerVolumeSource', { datasetName: str, datasetUUID: str }),
    downwardAPI: core('DownwardAPIVolumeSource', { items: arr(downwardAPIVolumeFile), defaultMode: i32 }),
    fc: core('FCVolumeSource', { targetWWNs: strings, lun: i32, fsType: str, readOnly: bool, wwids: strings }),
    azureFile: core('AzureFileVolumeSource', { secretName: str, shareName: str, readOnly: bool }, ['secretName', 'shareName']),
    configMap: core('ConfigMapVolumeSource', { name: str, items: arr(keyToPath), defaultMode: i32, optional: bool }),
    vsphereVolume: core('VsphereVirtualDiskVolumeSource', { volumePath: str, fsType: str, storagePolicyName: str, storagePolicyID: str }, ['volumePath']),
    quobyte: core('QuobyteVolumeSource', { registry: str, volume: str, readOnly: bool, user: str, group: str, tenant: str }, ['registry', 'volume']),
    azureDisk: core('AzureDiskVolumeSource', { diskName: str, diskURI: str, cachingMode: str, fsType: str, readOnly: bool, kind: str }, [
      'diskName',
      'diskURI',
    ]),
    photonPersistentDisk: core('PhotonPersistentDiskVolumeSource', { pdID: str, fsType: str }, ['pdID']),
    projected: core('ProjectedVolumeSource', { sources: arr(volumeProjection), defaultMode: i32 }),
    portworxVolume: core('PortworxVolumeSource', { volumeID: str, fsType: str, readOnly: bool }, ['volumeID']),
    scaleIO: core('ScaleIOVolumeSource', {
      gateway: str,
      system: str,
      secretRef: localObjectReference,
      sslEnabled: bool,
      protectionDomain: str,
      storagePool: str,
      storageMode: str,
      volumeName: str,
      fsType: str,
      readOnly: bool,
    }),
    storageos: core('StorageOSVolumeSource', { volumeName: str, volumeNamespace: str, fsType: str, readOnly: bool, secretRef: localObjectReference }),
    csi: core('CSIVolumeSource', { driver: str, readOnly: bool, fsType: str, volumeAttributes: strMap, nodePublishSecretRef: localObjectReference }, [
      'driver',
    ]),
    ephemeral: core('EphemeralVolumeSource', {
      volumeClaimTemplate: core('PersistentVolumeClaimTemplate', { metadata: objectMeta, spec: persistentVolumeClaimSpec }, ['spec']),
    }),
    image: core('ImageVolumeSource', { reference: str, pullPolicy: str }),
  };
}
