import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.ts';
import { computeHash } from '../../src/controllers/hash.ts';
import { R } from '../../src/api/resources.ts';
import { deployment, harness, pods, setReady, until, type Harness } from './harness.ts';

const live = async (h: Harness) => (await pods(h.client)).filter((p) => !p.metadata.deletionTimestamp);
const isReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

/** Plays kubelet: marks every live pod ready. */
async function readyAll(h: Harness): Promise<void> {
  for (const p of await live(h)) if (!isReady(p)) await setReady(h.client, p, true, h.clock.now()).catch(() => undefined);
}

test('Deployment: RS named by pod-template-hash, scaling 3 -> 5 -> 1, status and events', async () => {
  const h = await harness();
  try {
    const d = await h.client.create(R.deployments, 'default', deployment('web', 3, 'nginx:1'));
    const hash = computeHash(d.spec.template);
    const rsName = `web-${hash}`;
    for (const want of [3, 5, 1]) {
      if (want !== 3) {
        const cur = await h.client.get(R.deployments, 'default', 'web');
        await h.client.update(R.deployments, 'default', 'web', { ...cur, spec: { ...cur.spec, replicas: want } });
      }
      const dep = await until(`${want} available`, async () => {
        await readyAll(h);
        const cur = await h.client.get(R.deployments, 'default', 'web');
        return (await live(h)).length === want && cur.status?.availableReplicas === want && cur.status?.updatedReplicas === want && cur;
      });
      assert.equal(dep.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
      const conds = dep.status.conditions.map((c: { type: string; status: string; reason: string; message: string }) => [c.type, c.status, c.reason, c.message]);
      assert.deepEqual(conds, [
        ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
        ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`],
      ]);
    }
    const rs = await h.client.get(R.replicasets, 'default', rsName);
    assert.equal(rs.spec.selector.matchLabels['pod-template-hash'], hash);
    assert.deepEqual(rs.spec.template.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    for (const p of await live(h)) assert.ok(p.metadata.name!.startsWith(`${rsName}-`), p.metadata.name);
    await h.ctl.whenIdle();
    const msgs = (await h.client.list(R.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.kind === 'Deployment').map((e) => `${e.reason} ${e.message}`);
    assert.deepEqual(msgs, [
      `ScalingReplicaSet Scaled up replica set ${rsName} to 3`,
      `ScalingReplicaSet Scaled up replica set ${rsName} to 5 from 3`,
      `ScalingReplicaSet Scaled down replica set ${rsName} to 1 from 5`,
    ]);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

const strategies: { name: string; replicas: number; surge: number | string; unavailable: number | string; maxTotal: number; minReady: number }[] = [
  { name: 'maxSurge 1, maxUnavailable 1', replicas: 4, surge: 1, unavailable: 1, maxTotal: 5, minReady: 3 },
  { name: 'maxSurge 25%, maxUnavailable 25% (rounds to 1 and 0)', replicas: 3, surge: '25%', unavailable: '25%', maxTotal: 4, minReady: 3 },
  { name: 'maxSurge 0, maxUnavailable 2', replicas: 4, surge: 0, unavailable: 2, maxTotal: 4, minReady: 2 },
];

for (const s of strategies) {
  test(`Deployment rolling update v1 -> v2 (${s.name}) stays within bounds`, async () => {
    const h = await harness();
    try {
      const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: s.surge, maxUnavailable: s.unavailable } };
      await h.client.create(R.deployments, 'default', deployment('web', s.replicas, 'app:v1', strategy));
      await until('v1 available', async () => {
        await readyAll(h);
        return (await h.client.get(R.deployments, 'default', 'web')).status?.availableReplicas === s.replicas;
      });
      const cur = await h.client.get(R.deployments, 'default', 'web');
      const next = structuredClone(cur);
      next.spec.template.spec.containers[0].image = 'app:v2';
      await h.client.update(R.deployments, 'default', 'web', next);
      const v2Hash = computeHash(next.spec.template);
      let steps = 0;
      await until('v2 rolled out', async () => {
        steps++;
        const rss = (await h.client.list(R.replicasets, { namespace: 'default' })).items;
        const total = rss.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
        assert.ok(total <= s.maxTotal, `replicas of all ReplicaSets ${total} > ${s.maxTotal}`);
        const ps = await live(h);
        assert.ok(ps.filter(isReady).length >= s.minReady, `ready pods ${ps.filter(isReady).length} < ${s.minReady}`);
        // Kubelet: one not-ready pod becomes ready per step, so the rollout has to wait for it.
        const waiting = ps.find((p) => !isReady(p));
        if (waiting) await setReady(h.client, waiting, true, h.clock.now()).catch(() => undefined);
        const d = await h.client.get(R.deployments, 'default', 'web');
        const done = ps.length === s.replicas && ps.every((p) => p.metadata.labels?.['pod-template-hash'] === v2Hash && isReady(p)) && d.status?.updatedReplicas === s.replicas && d.status?.availableReplicas === s.replicas;
        return done && d;
      }).then((d) => {
        assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
        assert.equal(d.status.conditions.find((c: { type: string }) => c.type === 'Progressing').message, `ReplicaSet "web-${v2Hash}" has successfully progressed.`);
      });
      assert.ok(steps > 1);
      const rss = (await h.client.list(R.replicasets, { namespace: 'default' })).items;
      assert.deepEqual(rss.map((rs) => [rs.metadata.name, rs.spec.replicas]).sort(), [[`web-${computeHash(cur.spec.template)}`, 0], [`web-${v2Hash}`, s.replicas]].sort());
      assert.deepEqual(h.errors, []);
    } finally {
      await h.close();
    }
  });
}
