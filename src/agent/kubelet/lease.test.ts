// The node Lease against an in-process API server: made on the first beat, owned by the Node and
// renewed (renewTime moves, nothing else) on the next; gone with the Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../../apiserver/index.ts';
import { KubeClient } from '../../client/index.ts';
import { FakeClock } from '../../controllers/clock.ts';
import { R } from '../../api/resources.ts';
import type { KubeletContext } from './context.ts';
import { microTime, renewLease } from './lease.ts';

test('renewLease: created held by the node for 40 s and owned by it, then renewed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-lease-'));
  const api = await startApiServer({ dataDir: dir });
  const client = new KubeClient({ server: api.url, caPem: api.caPem, token: api.token });
  try {
    const clock = new FakeClock(Date.parse('2024-05-01T12:00:00.5Z'));
    const ctx = { client, clock } as unknown as KubeletContext;
    const node = await client.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'mk-m02' } });
    await renewLease(ctx, node);
    let lease = await client.get(R.leases, 'kube-node-lease', 'mk-m02');
    assert.deepEqual(lease.spec, { holderIdentity: 'mk-m02', leaseDurationSeconds: 40, renewTime: '2024-05-01T12:00:00.500000Z' });
    assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'mk-m02', uid: node.metadata.uid }]);
    clock.advance(10_000);
    await renewLease(ctx, node);
    lease = await client.get(R.leases, 'kube-node-lease', 'mk-m02');
    assert.equal(lease.spec.renewTime, microTime(clock.now()));
    assert.equal(lease.spec.renewTime, '2024-05-01T12:00:10.500000Z');
    await client.delete(R.nodes, undefined, 'mk-m02');
    for (let i = 0; i < 100 && (await client.list(R.leases, { namespace: 'kube-node-lease' })).items.length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await client.list(R.leases, { namespace: 'kube-node-lease' })).items.length, 0, 'the garbage collector takes it with the node');
  } finally {
    client.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
