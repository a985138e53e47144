import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../src/api/resources.ts';
import { harness, pods, until } from './harness.ts';

const rs = (replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'kubia', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'kubia' } }, template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] } } },
});

test('ReplicaSet: creates and deletes pods to match spec.replicas', async () => {
  const h = await harness();
  try {
    const created = await h.client.create(R.replicasets, 'default', rs(3));
    for (const want of [3, 5, 1, 0]) {
      if (want !== 3) {
        const cur = await h.client.get(R.replicasets, 'default', 'kubia');
        await h.client.update(R.replicasets, 'default', 'kubia', { ...cur, spec: { ...cur.spec, replicas: want } });
      }
      const got = await until(`${want} pods`, async () => {
        const ps = (await pods(h.client)).filter((p) => !p.metadata.deletionTimestamp);
        const st = (await h.client.get(R.replicasets, 'default', 'kubia')).status;
        return ps.length === want && (st?.replicas ?? 0) === want && ps;
      });
      for (const p of got) {
        assert.match(p.metadata.name!, /^kubia-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        assert.deepEqual(p.metadata.labels, { app: 'kubia' });
        assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'kubia', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      }
    }
    await h.ctl.whenIdle();
    const events = (await h.client.list(R.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.name === 'kubia');
    assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 5);
    assert.match(events.find((e) => e.reason === 'SuccessfulCreate')!.message, /^Created pod: kubia-[a-z0-9]{5}$/);
    assert.equal(events.filter((e) => e.reason === 'SuccessfulDelete').length, 5);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});
