import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, svc, deployment } from './harness.ts';

let c: TestCluster;
before(async () => (c = await TestCluster.start()));
after(() => c.stop());

const NS = '/api/v1/namespaces/default';
const owned = (kind: string, name: string, owner: any) => ({
  apiVersion: 'v1', kind, metadata: { name, ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }] }, data: {},
});

async function family(prefix: string) {
  const owner = (await c.post('/apis/apps/v1/namespaces/default/deployments', deployment(`${prefix}-owner`))).json;
  const child = (await c.post(`${NS}/configmaps`, owned('ConfigMap', `${prefix}-child`, owner))).json;
  const grandchild = (await c.post(`${NS}/configmaps`, owned('ConfigMap', `${prefix}-grandchild`, child))).json;
  return { owner, child, grandchild };
}

async function waitGone(path: string, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await c.get(path)).status === 404) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

test('delete answers: a Status for Deployments, the object for Services; 404 after', async () => {
  await c.post('/apis/apps/v1/namespaces/default/deployments', deployment('gone'));
  const d = await c.del('/apis/apps/v1/namespaces/default/deployments/gone', { propagationPolicy: 'Background' });
  assert.equal(d.status, 200);
  assert.equal(d.json.kind, 'Status');
  assert.equal(d.json.status, 'Success');
  assert.deepEqual({ ...d.json.details, uid: undefined }, { name: 'gone', group: 'apps', kind: 'deployments', uid: undefined });
  await c.post(`${NS}/services`, svc('gone'));
  const s = await c.del(`${NS}/services/gone`);
  assert.equal(s.json.kind, 'Service');
  assert.equal((await c.get(`${NS}/services/gone`)).status, 404);
  assert.equal((await c.del(`${NS}/services/gone`)).json.message, 'services "gone" not found');
  const again = await c.post(`${NS}/services`, svc('gone', { spec: { clusterIP: s.json.spec.clusterIP } }));
  assert.equal(again.status, 201, 'the released ClusterIP can be taken again');
});

test('preconditions mismatch is a Conflict', async () => {
  await c.post(`${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre' } });
  const r = await c.del(`${NS}/configmaps/pre`, { preconditions: { uid: 'nope' } });
  assert.equal(r.status, 409);
  assert.match(r.json.message, /Precondition failed: UID in precondition: nope/);
});

test('background cascade: dependents and grand-dependents are collected', async () => {
  const f = await family('bg');
  await c.del(`/apis/apps/v1/namespaces/default/deployments/${f.owner.metadata.name}`, { propagationPolicy: 'Background' });
  assert.ok(await waitGone(`${NS}/configmaps/bg-child`));
  assert.ok(await waitGone(`${NS}/configmaps/bg-grandchild`));
});

test('foreground cascade: owner marked with foregroundDeletion, dependents go first, then the owner', async () => {
  const f = await family('fg');
  const rv = c.server.store.revision;
  const w = await c.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
  const dw = await c.watch(`/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=${rv}`);
  const r = await c.del(`/apis/apps/v1/namespaces/default/deployments/${f.owner.metadata.name}`, { propagationPolicy: 'Foreground' });
  assert.equal(r.status, 200);
  const devs = await dw.until(2);
  assert.equal(devs[0].type, 'MODIFIED');
  assert.ok(devs[0].object.metadata.deletionTimestamp);
  assert.deepEqual(devs[0].object.metadata.finalizers, ['foregroundDeletion']);
  assert.equal(devs[1].type, 'DELETED');
  const cevs = await w.until(2);
  assert.deepEqual(cevs.map((e) => `${e.type} ${e.object.metadata.name}`), ['DELETED fg-grandchild', 'DELETED fg-child']);
  assert.ok(Number(cevs[1].object.metadata.resourceVersion) < Number(devs[1].object.metadata.resourceVersion));
  w.close();
  dw.close();
});

test('orphan: dependents stay without the ownerReference', async () => {
  const f = await family('or');
  await c.del(`/apis/apps/v1/namespaces/default/deployments/${f.owner.metadata.name}`, { propagationPolicy: 'Orphan' });
  await new Promise((r) => setTimeout(r, 100));
  const child = await c.get(`${NS}/configmaps/or-child`);
  assert.equal(child.status, 200);
  assert.equal(child.json.metadata.ownerReferences, undefined);
  assert.equal((await c.get(`${NS}/configmaps/or-grandchild`)).status, 200);
});

test('namespace deletion removes everything in it; default may not be deleted', async () => {
  await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  await c.post('/api/v1/namespaces/doomed/services', svc('s1'));
  await c.post('/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } });
  const r = await c.del('/api/v1/namespaces/doomed');
  assert.equal(r.status, 200);
  assert.equal(r.json.status.phase, 'Terminating');
  assert.ok(await waitGone('/api/v1/namespaces/doomed'));
  assert.equal((await c.get('/api/v1/namespaces/doomed/services/s1')).status, 404);
  assert.equal((await c.get('/api/v1/namespaces/doomed/configmaps')).json.items.length, 0);
  const d = await c.del('/api/v1/namespaces/default');
  assert.equal(d.status, 403);
  assert.equal(d.json.message, 'namespaces "default" is forbidden: this namespace may not be deleted');
});

test('deletecollection deletes what the selector picks', async () => {
  for (const [n, app] of [['dc1', 'x'], ['dc2', 'x'], ['dc3', 'y']]) {
    await c.post(`${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, labels: { app } } });
  }
  const r = await c.del(`${NS}/configmaps?labelSelector=app%3Dx`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((i: any) => i.metadata.name), ['dc1', 'dc2']);
  const left = (await c.get(`${NS}/configmaps?labelSelector=app`)).json.items.map((i: any) => i.metadata.name);
  assert.deepEqual(left, ['dc3']);
});

test('restart keeps objects, certificates, the token and allocations', async () => {
  const a = await TestCluster.start();
  const created = (await a.post(`${NS}/services`, svc('keep', { spec: { type: 'NodePort' } }))).json;
  const { caPem, token } = a.server;
  await a.stop(true);
  const b = await TestCluster.start({}, a.dir);
  try {
    assert.equal(b.server.caPem, caPem);
    assert.equal(b.server.token, token);
    const got = await b.get(`${NS}/services/keep`);
    assert.deepEqual(got.json, created);
    const clash = await b.post(`${NS}/services`, svc('clash', { spec: { clusterIP: created.spec.clusterIP } }));
    assert.equal(clash.status, 422);
    assert.equal((await b.get('/api/v1/namespaces')).json.items.length, 4);
  } finally {
    await b.stop();
  }
});

test('finalizers hold a deleted object until the last one is removed', async () => {
  await c.post(`${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
  const d = await c.del(`${NS}/configmaps/held`);
  assert.equal(d.status, 202);
  assert.ok(d.json.metadata.deletionTimestamp);
  const still = await c.get(`${NS}/configmaps/held`);
  assert.equal(still.status, 200);
  assert.equal(still.json.metadata.deletionTimestamp, d.json.metadata.deletionTimestamp);
  const p = await c.patch(`${NS}/configmaps/held`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
  assert.equal(p.status, 200, p.text);
  assert.equal((await c.get(`${NS}/configmaps/held`)).status, 404);
});
