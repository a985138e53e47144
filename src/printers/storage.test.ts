// `get pv,pvc,sc`: the tables Kubernetes 1.33 prints for minikube's default class and a claim
// its provisioner bound (the "Configure a Pod to Use a PersistentVolume" walkthrough's objects),
// and the same Tables rendered by real kubectl 1.27 and 1.33.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveResource } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { renderTable, toTable } from './index.ts';
import { accessModesString } from './kinds/storage.ts';
import { NOW, ago, seed } from './testdata/build.ts';
import { Oracle, hasKubectl } from './testdata/oracle.ts';

const standard: KubeObject = {
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
  metadata: { name: 'standard', creationTimestamp: ago('5m'), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'k8s.io/minikube-hostpath', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate',
};
const manual: KubeObject = {
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'manual', creationTimestamp: ago('2m') },
  provisioner: 'kubernetes.io/no-provisioner', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true,
};
const claim: KubeObject = {
  apiVersion: 'v1', kind: 'PersistentVolumeClaim',
  metadata: { name: 'task-pv-claim', namespace: 'default', creationTimestamp: ago('40s') },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem', volumeName: 'pvc-0b1f6d2e-5a4c-4e0f-9b3a-2f0d6c8e7a11' },
  status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '3072Mi' } },
};
const pending: KubeObject = {
  apiVersion: 'v1', kind: 'PersistentVolumeClaim',
  metadata: { name: 'waiting', namespace: 'default', creationTimestamp: ago('3s') },
  spec: { accessModes: ['ReadWriteMany', 'ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'manual', volumeMode: 'Filesystem' },
  status: { phase: 'Pending' },
};
const provisioned: KubeObject = {
  apiVersion: 'v1', kind: 'PersistentVolume',
  metadata: { name: 'pvc-0b1f6d2e-5a4c-4e0f-9b3a-2f0d6c8e7a11', creationTimestamp: ago('39s') },
  spec: {
    capacity: { storage: '3Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard', volumeMode: 'Filesystem',
    claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'task-pv-claim' }, hostPath: { path: '/tmp/hostpath-provisioner/default/task-pv-claim', type: '' },
  },
  status: { phase: 'Bound' },
};
const released: KubeObject = {
  apiVersion: 'v1', kind: 'PersistentVolume',
  metadata: { name: 'task-pv-volume', creationTimestamp: ago('10m') },
  spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'manual', hostPath: { path: '/mnt/data' } },
  status: { phase: 'Available' },
};

const render = (kind: string, objs: KubeObject[], wide = false) => renderTable(toTable(resolveResource(kind)!, objs, { now: NOW }), { wide });

test('get sc: the default class is marked, defaults filled', () => {
  assert.equal(render('sc', [manual, standard]), seed(`
	NAME                 PROVISIONER                    RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE
	manual               kubernetes.io/no-provisioner   Retain          WaitForFirstConsumer   true                   2m
	standard (default)   k8s.io/minikube-hostpath       Delete          Immediate              false                  5m
`));
});

test('get pvc: bound (capacity from status, canonical) and pending (no capacity, no modes)', () => {
  assert.equal(render('pvc', [claim, pending]), seed(`
	NAME            STATUS    VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
	task-pv-claim   Bound     pvc-0b1f6d2e-5a4c-4e0f-9b3a-2f0d6c8e7a11   3Gi        RWO            standard       <unset>                 40s
	waiting         Pending                                                                        manual         <unset>                 3s
`));
  assert.match(render('pvc', [claim], true), /VOLUMEMODE\n.* Filesystem\n$/);
});

test('get pv: claim as namespace/name, modes in kubectl order', () => {
  assert.equal(render('pv', [provisioned, released]), seed(`
	NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM                   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
	pvc-0b1f6d2e-5a4c-4e0f-9b3a-2f0d6c8e7a11   3Gi        RWO            Delete           Bound       default/task-pv-claim   standard       <unset>                          39s
	task-pv-volume                             10Gi       RWO,ROX        Retain           Available                           manual         <unset>                          10m
`));
});

test('access modes abbreviate in a fixed order', () => {
  assert.equal(accessModesString(['ReadWriteOncePod', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOnce']), 'RWO,ROX,RWX,RWOP');
  assert.equal(accessModesString(undefined), '');
});

let oracle: Oracle | undefined;
before(async () => {
  if (!hasKubectl(33)) return;
  oracle = new Oracle([standard, manual, claim, pending, provisioned, released], NOW);
  await oracle.start();
});
after(async () => oracle?.stop());

for (const minor of [27, 33]) {
  test(`kubectl 1.${minor} prints the same get pv,pvc,sc`, { skip: !hasKubectl(minor) && `kubectl.1.${minor} not installed` }, async () => {
    const got = await oracle!.kubectl(minor, ['get', 'pv,pvc,sc']);
    const mine = [render('pv', [provisioned, released]), render('pvc', [claim, pending]), render('sc', [standard, manual])];
    // kubectl prints each kind's table with its `kind/` prefix when several kinds are asked
    const prefixed = mine.map((t, i) => t.split('\n').map((l, j) => (j === 0 || !l ? l : `${['persistentvolume', 'persistentvolumeclaim', 'storageclass.storage.k8s.io'][i]}/${l}`)).join('\n'));
    const norm = (s: string) => s.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).join('\n').trim();
    assert.equal(norm(got), norm(prefixed.join('\n')));
  });
}
