import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, svc } from './harness.ts';

let c: TestCluster;
before(async () => (c = await TestCluster.start({ bookmarkIntervalMs: 50 })));
after(() => c.stop());

const CMS = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { v: '1' } });
const summary = (evs: { type: string; object: any }[]) => evs.map((e) => `${e.type} ${e.object.metadata?.name ?? e.object.reason}`);

test('watch from a list resourceVersion: ADDED, MODIFIED, DELETED in order', async () => {
  const rv = (await c.get(CMS)).json.metadata.resourceVersion;
  const w = await c.watch(`${CMS}?watch=true&resourceVersion=${rv}`);
  assert.equal(w.status, 200);
  await c.post(CMS, cm('w1'));
  await c.patch(`${CMS}/w1`, { data: { v: '2' } }, 'application/merge-patch+json');
  await c.del(`${CMS}/w1`);
  const evs = await w.until(3);
  w.close();
  assert.deepEqual(summary(evs), ['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
  assert.equal(evs[1].object.data.v, '2');
  assert.ok(Number(evs[2].object.metadata.resourceVersion) > Number(evs[1].object.metadata.resourceVersion));
});

test('watch without resourceVersion (or 0) starts with ADDED for current objects; /watch/ paths and names', async () => {
  await c.post(CMS, cm('w2'));
  await c.post(CMS, cm('w3'));
  const w = await c.watch(`${CMS}?watch=1&resourceVersion=0&fieldSelector=metadata.name%3Dw2`);
  const path = await c.watch('/api/v1/watch/namespaces/default/configmaps/w3');
  await c.patch(`${CMS}/w2`, { data: { v: '3' } }, 'application/merge-patch+json');
  await c.patch(`${CMS}/w3`, { data: { v: '3' } }, 'application/merge-patch+json');
  assert.deepEqual(summary(await w.until(2)), ['ADDED w2', 'MODIFIED w2']);
  assert.deepEqual(summary(await path.until(2)), ['ADDED w3', 'MODIFIED w3']);
  w.close();
  path.close();
});

test('label selector transitions: stop matching → DELETED, start matching → ADDED', async () => {
  await c.post(CMS, cm('w4', { app: 'a' }));
  const w = await c.watch(`${CMS}?watch=true&labelSelector=app%3Da`);
  await c.patch(`${CMS}/w4`, { metadata: { labels: { app: 'b' } } }, 'application/merge-patch+json');
  await c.patch(`${CMS}/w4`, { metadata: { labels: { app: 'a' } } }, 'application/merge-patch+json');
  await c.post(CMS, cm('w5', { app: 'other' }));
  await c.del(`${CMS}/w4`);
  assert.deepEqual(summary(await w.until(4)), ['ADDED w4', 'DELETED w4', 'ADDED w4', 'DELETED w4']);
  w.close();
});

test('a too old resourceVersion gets one ERROR event with 410 Expired, then the stream ends', async () => {
  // after a restart the watch history starts empty, so revision 1 is too old
  const first = await TestCluster.start();
  await first.stop(true);
  const again = await TestCluster.start({}, first.dir);
  try {
    const w = await again.watch(`${CMS}?watch=true&resourceVersion=1`);
    const evs = await w.until(2, 3000);
    assert.ok(w.ended);
    assert.equal(evs.length, 1);
    assert.equal(evs[0].type, 'ERROR');
    assert.deepEqual({ ...evs[0].object, message: undefined }, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410, message: undefined });
    assert.match(evs[0].object.message, /^too old resource version: 1 \(\d+\)$/);
  } finally {
    await again.stop();
  }
});

test('Table watch: each event object is a one-row Table', async () => {
  const w = await c.watch('/api/v1/namespaces/default/services?watch=true&resourceVersion=0', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
  const evs = await w.until(1);
  assert.equal(evs[0].type, 'ADDED');
  assert.equal(evs[0].object.kind, 'Table');
  assert.equal(evs[0].object.rows.length, 1);
  assert.equal(evs[0].object.rows[0].cells[0], 'kubernetes');
  await c.post('/api/v1/namespaces/default/services', svc('tw'));
  const more = await w.until(2);
  assert.equal(more[1].object.rows[0].cells[0], 'tw');
  w.close();
});

test('timeoutSeconds closes the stream; allowWatchBookmarks sends BOOKMARK events', async () => {
  const w = await c.watch(`${CMS}?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=${c.server.store.revision}`);
  const evs = await w.until(1);
  assert.equal(evs[0].type, 'BOOKMARK');
  assert.equal(evs[0].object.kind, 'ConfigMap');
  assert.match(evs[0].object.metadata.resourceVersion, /^\d+$/);
  await w.until(10_000, 5000).catch(() => undefined);
  assert.ok(w.ended);
});

