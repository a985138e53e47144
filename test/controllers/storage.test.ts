// Storage on the control plane, against a real in-process API server: the default class
// `standard` appears; a claim without a class gets it; the provisioner makes a hostPath volume
// for it and the binder binds both sides (as `kubectl get pv,pvc` then shows); the claim's
// deletion releases the volume and, with Delete, removes its directory and the volume; a static
// volume binds by size, modes and class; a pod with an unbound claim waits for it; the
// storage-provisioner addon disabled provisions nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.ts';
import { resolveResource } from '../../src/api/resources.ts';
import { renderTable, toTable } from '../../src/printers/index.ts';
import { disableStorageProvisioner, enableStorageProvisioner, disableDefaultStorageClass, enableDefaultStorageClass } from '../../src/addons/storage.ts';
import { findVolumeFor, nodeSelectorMatches } from '../../src/controllers/storage/matching.ts';
import { R } from '../../src/api/resources.ts';
import { harness, node, until, type Harness } from './harness.ts';

let h: Harness;
const dirs = new Set<string>();
const store = { async make(p: string) { dirs.add(p); }, async remove(p: string) { dirs.delete(p); } };

before(async () => {
  h = await harness({ storage: { store, identity: 'mk' } });
  await h.client.create(R.nodes, undefined, node('mk', {}, h.clock.now()));
});
after(async () => h.close());

const claim = (name: string, spec: object = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const getClaim = (n: string) => h.client.get(R.persistentvolumeclaims, 'default', n);
const events = async (n: string) => (await h.client.list(R.events, { namespace: 'default', fieldSelector: `involvedObject.name=${n}` })).items.map((e: any) => `${e.reason}: ${e.message}`);
const table = async (kind: string, items: KubeObject[]) => renderTable(toTable(resolveResource(kind)!, items, { now: new Date() }), {});

test('the default class standard is made, marked default', async () => {
  const sc = await until('standard', () => h.client.get(R.storageclasses, undefined, 'standard').catch(() => undefined));
  assert.equal(sc.provisioner, 'k8s.io/minikube-hostpath');
  assert.equal(sc.metadata.annotations!['storageclass.kubernetes.io/is-default-class'], 'true');
  assert.match(await table('sc', [sc]), /^standard \(default\)\s+k8s\.io\/minikube-hostpath\s+Delete\s+Immediate\s+false\s+\S+$/m);
});

test('a claim without a class gets standard, a provisioned volume, and both sides bound', async () => {
  const created = await h.client.create(R.persistentvolumeclaims, 'default', claim('data'));
  assert.equal(created.spec.storageClassName, 'standard');
  const bound = await until('Bound', async () => { const c = await getClaim('data'); return c.status?.phase === 'Bound' ? c : undefined; });
  const pvName = `pvc-${created.metadata.uid}`;
  assert.equal(bound.spec.volumeName, pvName);
  assert.equal(bound.metadata.annotations!['pv.kubernetes.io/bind-completed'], 'yes');
  assert.equal(bound.metadata.annotations!['volume.kubernetes.io/storage-provisioner'], 'k8s.io/minikube-hostpath');
  assert.deepEqual([bound.status.accessModes, bound.status.capacity], [['ReadWriteOnce'], { storage: '1Gi' }]);
  const pv = await until('pv Bound', async () => { const v = await h.client.get(R.persistentvolumes, undefined, pvName); return v.status?.phase === 'Bound' ? v : undefined; });
  assert.deepEqual(pv.spec.hostPath, { path: '/tmp/hostpath-provisioner/default/data', type: '' });
  assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete');
  assert.equal(pv.metadata.annotations!['pv.kubernetes.io/provisioned-by'], 'k8s.io/minikube-hostpath');
  assert.deepEqual([pv.spec.claimRef.namespace, pv.spec.claimRef.name, pv.spec.claimRef.uid], ['default', 'data', created.metadata.uid]);
  assert.ok(dirs.has('/tmp/hostpath-provisioner/default/data'));
  const ev = await events('data');
  for (const want of ['ExternalProvisioning: Waiting for a volume to be created either by the external provisioner \'k8s.io/minikube-hostpath\' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.',
    'Provisioning: External provisioner is provisioning volume for claim "default/data"', `ProvisioningSucceeded: Successfully provisioned volume ${pvName}`]) {
    assert.ok(ev.includes(want), `${want} in ${ev.join(' | ')}`);
  }
  assert.match(await table('pvc', [bound]), new RegExp(`^data\\s+Bound\\s+${pvName}\\s+1Gi\\s+RWO\\s+standard\\s+<unset>\\s+\\S+$`, 'm'));
  assert.match(await table('pv', [pv]), new RegExp(`^${pvName}\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+default/data\\s+standard\\s+<unset>\\s+\\S+$`, 'm'));
});

test('deleting the claim releases its volume; Delete removes the directory and the volume', async () => {
  const pvName = (await getClaim('data')).spec.volumeName;
  await h.client.delete(R.persistentvolumeclaims, 'default', 'data');
  await until('volume gone', async () => !(await h.client.get(R.persistentvolumes, undefined, pvName).catch(() => undefined)));
  assert.ok(!dirs.has('/tmp/hostpath-provisioner/default/data'));
});

test('a claim in use by a pod stays Terminating until the pod is gone (pvc-protection)', async () => {
  const c = await h.client.create(R.persistentvolumeclaims, 'default', claim('in-use'));
  assert.deepEqual(c.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  await until('Bound', async () => (await getClaim('in-use')).status?.phase === 'Bound');
  const pvName = (await getClaim('in-use')).spec.volumeName;
  assert.deepEqual((await h.client.get(R.persistentvolumes, undefined, pvName)).metadata.finalizers, ['kubernetes.io/pv-protection']);
  await h.client.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'holder', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'in-use' } }] } });
  await h.client.delete(R.persistentvolumeclaims, 'default', 'in-use');
  await h.ctl.whenIdle();
  const terminating = await getClaim('in-use');
  assert.ok(terminating.metadata.deletionTimestamp);
  assert.match(await table('pvc', [terminating]), /^in-use\s+Terminating\s+/m);
  await h.client.delete(R.pods, 'default', 'holder', { gracePeriodSeconds: 0 });
  await until('claim gone', async () => !(await getClaim('in-use').catch(() => undefined)));
  await until('its volume gone', async () => !(await h.client.get(R.persistentvolumes, undefined, pvName).catch(() => undefined)));
});

test('a static volume binds by class, modes and size; Retain keeps it Released', async () => {
  const pv = (name: string, size: string, modes: string[]) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, labels: { type: 'local' } },
    spec: { storageClassName: 'manual', capacity: { storage: size }, accessModes: modes, hostPath: { path: `/mnt/${name}` } } });
  for (const v of [pv('small', '1Gi', ['ReadWriteOnce']), pv('big', '10Gi', ['ReadWriteOnce']), pv('rox', '5Gi', ['ReadOnlyMany'])]) await h.client.create(R.persistentvolumes, undefined, v);
  await until('Available', async () => (await h.client.get(R.persistentvolumes, undefined, 'big')).status?.phase === 'Available');
  await h.client.create(R.persistentvolumeclaims, 'default', claim('task-pv-claim', { storageClassName: 'manual', resources: { requests: { storage: '3Gi' } } }));
  const c = await until('Bound', async () => { const x = await getClaim('task-pv-claim'); return x.status?.phase === 'Bound' ? x : undefined; });
  assert.equal(c.spec.volumeName, 'big');
  assert.deepEqual(c.status.capacity, { storage: '10Gi' });
  await h.client.delete(R.persistentvolumeclaims, 'default', 'task-pv-claim');
  const released = await until('Released', async () => { const v = await h.client.get(R.persistentvolumes, undefined, 'big'); return v.status?.phase === 'Released' ? v : undefined; });
  assert.equal(released.spec.persistentVolumeReclaimPolicy, 'Retain');
});

test('a claim no class serves says why it waits', async () => {
  await h.client.create(R.persistentvolumeclaims, 'default', claim('nowhere', { storageClassName: 'fast' }));
  await until('ProvisioningFailed', async () => (await events('nowhere')).includes('ProvisioningFailed: storageclass.storage.k8s.io "fast" not found'));
  await h.client.create(R.persistentvolumeclaims, 'default', claim('none', { storageClassName: '' }));
  await until('FailedBinding', async () => (await events('none')).includes('FailedBinding: no persistent volumes available for this claim and no storage class is set'));
});

test('a pod with an unbound claim is not scheduled until the claim binds', async () => {
  await h.client.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'user', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'later' } }] } });
  await until('FailedScheduling', async () => (await events('user')).includes('FailedScheduling: 0/1 nodes are available: persistentvolumeclaim "later" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'));
  await h.client.create(R.persistentvolumeclaims, 'default', claim('later'));
  await until('scheduled', async () => (await h.client.get(R.pods, 'default', 'user')).spec.nodeName === 'mk');
});

test('a pod whose claim is bound to a local volume goes to the volume\'s node', async () => {
  await h.client.create(R.persistentvolumes, undefined, { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'local-ssd' }, spec: {
    storageClassName: 'local', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disks/ssd1' },
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['mk-b'] }] }] } } } });
  await h.client.create(R.persistentvolumeclaims, 'default', claim('fast-data', { storageClassName: 'local' }));
  await until('Bound', async () => (await getClaim('fast-data')).status?.phase === 'Bound');
  await h.client.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'fast-data' } }] } });
  await until('FailedScheduling', async () => (await events('db')).includes('FailedScheduling: 0/1 nodes are available: 1 node(s) had volume node affinity conflict. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'));
  await h.client.create(R.nodes, undefined, node('mk-b', {}, h.clock.now()));
  await until('scheduled on mk-b', async () => (await h.client.get(R.pods, 'default', 'db')).spec.nodeName === 'mk-b');
});

test('with storage-provisioner disabled nothing is provisioned; enabled again, it is', async () => {
  await disableStorageProvisioner(h.client);
  await h.client.create(R.persistentvolumeclaims, 'default', claim('paused'));
  await until('ExternalProvisioning', async () => (await events('paused')).some((e) => e.startsWith('ExternalProvisioning')));
  await h.ctl.whenIdle();
  assert.equal((await getClaim('paused')).status.phase, 'Pending');
  await enableStorageProvisioner(h.client);
  await until('Bound', async () => (await getClaim('paused')).status?.phase === 'Bound');
});

test('default-storageclass disabled: standard is no longer the default, claims keep no class', async () => {
  await disableDefaultStorageClass(h.client);
  assert.equal((await h.client.get(R.storageclasses, undefined, 'standard')).metadata.annotations!['storageclass.kubernetes.io/is-default-class'], 'false');
  assert.equal((await h.client.create(R.persistentvolumeclaims, 'default', claim('classless'))).spec.storageClassName, undefined);
  await enableDefaultStorageClass(h.client);
  assert.equal((await h.client.get(R.storageclasses, undefined, 'standard')).metadata.annotations!['storageclass.kubernetes.io/is-default-class'], 'true');
  // the binder gives the classless claim the default class once there is one again
  await until('retroactive class', async () => (await getClaim('classless')).spec.storageClassName === 'standard');
  assert.deepEqual(h.errors, []);
});

test('findVolumeFor: smallest fit, then by name; selector and mode respected', () => {
  const v = (name: string, size: string, extra: object = {}): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, labels: { disk: 'ssd' } },
    spec: { storageClassName: '', capacity: { storage: size }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], ...extra }, status: { phase: 'Available' } });
  const c = (spec: object) => ({ ...claim('c', { storageClassName: '', ...spec }), metadata: { name: 'c', namespace: 'default', uid: 'u' } }) as KubeObject;
  const vols = [v('b', '2Gi'), v('a', '2Gi'), v('huge', '100Gi'), v('tiny', '100Mi'), v('block', '2Gi', { volumeMode: 'Block' })];
  assert.equal(findVolumeFor(c({}), vols)?.metadata.name, 'a');
  assert.equal(findVolumeFor(c({ resources: { requests: { storage: '3Gi' } } }), vols)?.metadata.name, 'huge');
  assert.equal(findVolumeFor(c({ accessModes: ['ReadWriteMany'] }), vols), undefined);
  assert.equal(findVolumeFor(c({ selector: { matchLabels: { disk: 'hdd' } } }), vols), undefined);
  assert.equal(findVolumeFor(c({ volumeMode: 'Block' }), vols)?.metadata.name, 'block');
  assert.equal(findVolumeFor(c({ volumeName: 'huge' }), vols)?.metadata.name, 'huge');
});

test('nodeSelectorMatches: terms ORed, expressions ANDed, fields by name', () => {
  const n = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'mk-m02', labels: { zone: 'a', 'disk-count': '3' } } } as KubeObject;
  const sel = (...terms: object[]) => ({ nodeSelectorTerms: terms });
  assert.equal(nodeSelectorMatches(sel({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, { key: 'disk-count', operator: 'Gt', values: ['2'] }] }), n), true);
  assert.equal(nodeSelectorMatches(sel({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['mk-m02'] }] }), n), true);
  assert.equal(nodeSelectorMatches(sel({ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }), n), false);
  assert.equal(nodeSelectorMatches(sel(), n), false);
});
