// describe pv, pvc (with the pod using it), sc and a pod's downwardAPI volume, compared with what real kubectl 1.33 prints
// for the same objects, events and pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveResource } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { NOW, ago } from '../testdata/build.ts';
import { describeMatchesKubectl, NO_KUBECTL_133 } from './kubectl-cases.test-helper.ts';
import { describe } from './index.ts';

const pvc: KubeObject = {
  apiVersion: 'v1', kind: 'PersistentVolumeClaim',
  metadata: { name: 'task-pv-claim', namespace: 'default', uid: 'uid-claim', creationTimestamp: ago('2m'), annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.kubernetes.io/storage-provisioner': 'k8s.io/minikube-hostpath' } },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem', volumeName: 'pvc-uid-claim' },
  status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '3Gi' } },
};
const pending: KubeObject = {
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'waiting', namespace: 'default', uid: 'uid-waiting', creationTimestamp: ago('1m'), labels: { app: 'db' } },
  spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast', volumeMode: 'Filesystem' }, status: { phase: 'Pending' },
};
const pv: KubeObject = {
  apiVersion: 'v1', kind: 'PersistentVolume',
  metadata: { name: 'pvc-uid-claim', uid: 'uid-pv', creationTimestamp: ago('2m'), annotations: { hostPathProvisionerIdentity: 'mk', 'pv.kubernetes.io/provisioned-by': 'k8s.io/minikube-hostpath' } },
  spec: { capacity: { storage: '3Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard', volumeMode: 'Filesystem',
    claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'task-pv-claim', uid: 'uid-claim' }, hostPath: { path: '/tmp/hostpath-provisioner/default/task-pv-claim', type: '' } },
  status: { phase: 'Bound' },
};
const local: KubeObject = {
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'local-pv', uid: 'uid-local', creationTimestamp: ago('5m') },
  spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'local-storage', volumeMode: 'Filesystem', local: { path: '/mnt/disks/ssd1' },
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['mk-m02'] }] }] } } },
  status: { phase: 'Available' },
};
const sc: KubeObject = {
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', uid: 'uid-sc', creationTimestamp: ago('10m'), labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' }, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'k8s.io/minikube-hostpath', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate',
};
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'task-pv-pod', namespace: 'default', uid: 'uid-pod', creationTimestamp: ago('1m') },
  spec: { containers: [{ name: 'c', image: 'nginx', volumeMounts: [{ name: 's', mountPath: '/usr/share/nginx/html' }, { name: 'info', mountPath: '/etc/podinfo', readOnly: true }] }],
    volumes: [{ name: 's', persistentVolumeClaim: { claimName: 'task-pv-claim' } }, { name: 'info', downwardAPI: { defaultMode: 420, items: [
      { path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }, { path: 'cpu_limit', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } }] } }] },
  status: { phase: 'Running' } };
const event = (obj: KubeObject, reason: string, message: string, component: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name: `${obj.metadata.name}.1`, namespace: obj.metadata.namespace ?? 'default' },
  involvedObject: { kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid }, reason, message, type: 'Normal',
  source: { component }, firstTimestamp: ago('2m'), lastTimestamp: ago('2m'), count: 1,
});
const events = [event(pvc, 'ProvisioningSucceeded', 'Successfully provisioned volume pvc-uid-claim', 'k8s.io/minikube-hostpath_mk_x')];

const cases = [
  { args: 'describe pvc task-pv-claim', kind: 'pvc', obj: pvc, ctx: { events, pods: [pod] } },
  { args: 'describe pvc waiting', kind: 'pvc', obj: pending, ctx: { events: [], pods: [pod] } },
  { args: 'describe pv pvc-uid-claim', kind: 'pv', obj: pv, ctx: { events: [] } },
  { args: 'describe pv local-pv', kind: 'pv', obj: local, ctx: { events: [] } },
  { args: 'describe sc standard', kind: 'sc', obj: sc, ctx: { events: [] } },
];

const oracle = describeMatchesKubectl([pvc, pending, pv, local, sc, pod, ...events], NOW, cases);

test('describe pod: the Volumes block (claim, downwardAPI) matches kubectl 1.33', { skip: NO_KUBECTL_133 }, async () => {
  const block = (t: string) => /\nVolumes:\n[\s\S]*?\n(?=\S)/.exec(t)?.[0];
  const want = block(await oracle().kubectl(33, ['describe', 'pod', 'task-pv-pod']));
  assert.ok(want);
  assert.equal(block(describe(resolveResource('pod')!, pod, { events: [], now: new Date() })), want);
});
