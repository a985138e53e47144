// Pod volumes, PersistentVolumes, claims and StorageClasses: bad objects → the message kubectl
// prints, after defaulting, as the API server validates them; volume types mk cannot provide are
// refused with their field path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../defaults/index.ts';
import type { KubeObject } from '../types.ts';
import { message } from './message.test-helper.ts';

const pod = (volumes: object[], mounts: object[] = []) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox', volumeMounts: mounts }], volumes },
});
const pv = (spec: object, name = 'pv1') => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec });
const pvc = (spec: object, name = 'data') => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec });
const sc = (fields: object, name = 'fast') => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, ...fields });
const MOUNTS = 'configMap, downwardAPI, emptyDir, hostPath, persistentVolumeClaim, projected, secret';
const claimSpec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };

const cases: { name: string; obj: object; old?: object; want: string }[] = [
  // what mk mounts
  { name: 'the volumes mk mounts are valid', want: 'valid', obj: pod([
    { name: 'a', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }, { name: 'b', configMap: { name: 'cm', items: [{ key: 'k', path: 'dir/k', mode: 0o400 }] } },
    { name: 'c', secret: { secretName: 's', defaultMode: 0o400 } }, { name: 'd', hostPath: { path: '/data', type: 'DirectoryOrCreate' } },
    { name: 'e', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } }] } },
    { name: 'f', persistentVolumeClaim: { claimName: 'data' } },
    { name: 'g', projected: { sources: [{ configMap: { name: 'cm' } }, { serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
  ], [{ name: 'a', mountPath: '/a', subPath: 'x/y' }]) },
  // refused: what mk cannot provide, with the field path
  { name: 'nfs is refused', obj: pod([{ name: 'n', nfs: { server: 'nfs.example', path: '/exports' } }]),
    want: `The Pod "p" is invalid: spec.volumes[0].nfs: Forbidden: mk cannot provide nfs volumes; it mounts ${MOUNTS}` },
  { name: 'csi is refused', obj: pod([{ name: 'a', emptyDir: {} }, { name: 'b', csi: { driver: 'x.csi.io' } }]),
    want: `The Pod "p" is invalid: spec.volumes[1].csi: Forbidden: mk cannot provide csi volumes; it mounts ${MOUNTS}` },
  { name: 'a deployment template is refused too', obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: {
    selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'e', awsElasticBlockStore: { volumeID: 'vol-1' } }] } } } },
    want: `The Deployment "web" is invalid: spec.template.spec.volumes[0].awsElasticBlockStore: Forbidden: mk cannot provide awsElasticBlockStore volumes; it mounts ${MOUNTS}` },
  { name: 'a projected clusterTrustBundle is refused', obj: pod([{ name: 'g', projected: { sources: [{ clusterTrustBundle: { signerName: 'x/y', path: 'b' } }] } }]),
    want: 'The Pod "p" is invalid: spec.volumes[0].projected.sources[0].clusterTrustBundle: Forbidden: mk cannot provide projected clusterTrustBundle volumes; it mounts configMap, downwardAPI, secret, serviceAccountToken' },
  // Kubernetes' own checks
  { name: 'configMap name required, mode out of range', obj: pod([{ name: 'b', configMap: { defaultMode: 0o1000 } }]),
    want: 'The Pod "p" is invalid: \n* spec.volumes[0].configMap.name: Required value\n* spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive' },
  { name: 'secretName required', obj: pod([{ name: 's', secret: {} }]), want: 'The Pod "p" is invalid: spec.volumes[0].secret.secretName: Required value' },
  { name: 'items: key required, path relative, no ..', obj: pod([{ name: 'b', configMap: { name: 'cm', items: [{ path: '/abs' }, { key: 'k', path: 'a/../b' }, { key: 'k', path: '..x' }] } }]),
    want: 'The Pod "p" is invalid: \n* spec.volumes[0].configMap.items[0].key: Required value\n* spec.volumes[0].configMap.items[0].path: Invalid value: "/abs": must be a relative path\n* spec.volumes[0].configMap.items[1].path: Invalid value: "a/../b": must not contain \'..\'\n* spec.volumes[0].configMap.items[2].path: Invalid value: "..x": must not start with \'..\'' },
  { name: 'hostPath type', obj: pod([{ name: 'h', hostPath: { path: '/x', type: 'Dir' } }]),
    want: 'The Pod "p" is invalid: spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"' },
  { name: 'downwardAPI: a field volumes do not offer', obj: pod([{ name: 'd', downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'spec.nodeName' } }] } }]),
    want: 'The Pod "p" is invalid: spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"' },
  { name: 'downwardAPI: resourceFieldRef needs its container', obj: pod([{ name: 'd', downwardAPI: { items: [{ path: 'm', resourceFieldRef: { resource: 'limits.memory' } }] } }]),
    want: 'The Pod "p" is invalid: spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value' },
  { name: 'projected: duplicate paths', obj: pod([{ name: 'g', projected: { sources: [{ configMap: { name: 'a', items: [{ key: 'k', path: 'x' }] } }, { secret: { name: 'b', items: [{ key: 'k', path: 'x' }] } }] } }]),
    want: 'The Pod "p" is invalid: spec.volumes[0].projected: Invalid value: "b": conflicting duplicate paths' },
  { name: 'subPath must stay inside', obj: pod([{ name: 'a', emptyDir: {} }], [{ name: 'a', mountPath: '/a', subPath: '../etc' }]),
    want: 'The Pod "p" is invalid: spec.containers[0].volumeMounts[0].subPath: Invalid value: "../etc": must not contain \'..\'' },
  // PersistentVolume
  { name: 'a hostPath PV', obj: pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/data' } }), want: 'valid' },
  { name: 'PV needs capacity, access modes and a source', obj: pv({}),
    want: 'The PersistentVolume "pv1" is invalid: \n* spec.accessModes: Required value\n* spec.capacity: Required value\n* spec: Required value: must specify a volume type' },
  { name: 'PV with an nfs source is refused', obj: pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany'], nfs: { server: 'nfs.example', path: '/x' } }),
    want: 'The PersistentVolume "pv1" is invalid: spec.nfs: Forbidden: mk cannot provide nfs volumes; it mounts hostPath, local' },
  { name: 'PV access mode and reclaim policy', obj: pv({ capacity: { storage: '1Gi' }, accessModes: ['RW'], persistentVolumeReclaimPolicy: 'Keep', hostPath: { path: '/x' } }),
    want: 'The PersistentVolume "pv1" is invalid: \n* spec.accessModes: Unsupported value: "RW": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"\n* spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"' },
  { name: 'PV source is immutable', obj: pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/y' } }),
    old: pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/x' } }),
    want: 'The PersistentVolume "pv1" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation' },
  // PersistentVolumeClaim
  { name: 'a claim', obj: pvc(claimSpec), want: 'valid' },
  { name: 'claim needs access modes and storage', obj: pvc({}),
    want: 'The PersistentVolumeClaim "data" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value' },
  { name: 'claim storage must be positive', obj: pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0' } } }),
    want: 'The PersistentVolumeClaim "data" is invalid: spec.resources[storage]: Invalid value: "0": must be greater than zero' },
  { name: 'the binder may set volumeName once', obj: pvc({ ...claimSpec, volumeName: 'pv1' }), old: pvc(claimSpec), want: 'valid' },
  { name: 'a bound claim may grow', obj: pvc({ ...claimSpec, resources: { requests: { storage: '2Gi' } } }), old: pvc(claimSpec), want: 'valid' },
  { name: 'other spec changes are refused', obj: pvc({ ...claimSpec, accessModes: ['ReadWriteMany'] }), old: pvc(claimSpec),
    want: 'The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims' },
  // StorageClass
  { name: 'a class', obj: sc({ provisioner: 'k8s.io/minikube-hostpath' }), want: 'valid' },
  { name: 'class needs a provisioner', obj: sc({ reclaimPolicy: 'Recycle' }),
    want: 'The StorageClass "fast" is invalid: \n* provisioner: Required value\n* reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"' },
  { name: 'class provisioner is fixed', obj: sc({ provisioner: 'b.io/x' }), old: sc({ provisioner: 'a.io/x' }),
    want: 'The StorageClass "fast" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.' },
];

test('volume, PersistentVolume, claim and StorageClass validation', async (t) => {
  for (const c of cases) await t.test(c.name, () => assert.equal(message(c.obj, c.old), c.want));
});

test('defaults: Retain and Filesystem for a PV, Delete and Immediate for a class, Pending phases', () => {
  const v = structuredClone(pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/x' } })) as KubeObject;
  applyDefaults(v);
  assert.deepEqual([v.spec.persistentVolumeReclaimPolicy, v.spec.volumeMode, v.spec.hostPath.type, v.status.phase], ['Retain', 'Filesystem', '', 'Pending']);
  const c = structuredClone(pvc(claimSpec)) as KubeObject;
  applyDefaults(c);
  assert.deepEqual([c.spec.volumeMode, c.status.phase], ['Filesystem', 'Pending']);
  const s = structuredClone(sc({ provisioner: 'x/y' })) as KubeObject;
  applyDefaults(s);
  assert.deepEqual([s.reclaimPolicy, s.volumeBindingMode], ['Delete', 'Immediate']);
});
