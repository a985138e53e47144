import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { Store } from '../store/index.ts';
import { ServiceAllocator } from './allocators.ts';
import type { ServerContext } from './context.ts';
import { deleteOne } from './handlers/delete.ts';
import { PodSweeper } from './pod-sweeper.ts';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const node = (name: string, ready?: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name }, status: ready ? { conditions: [{ type: 'Ready', status: ready }] } : {},
});

test('the sweeper removes terminating pods past their deadline only where no kubelet serves the node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-sweeper-'));
  const store = Store.open(join(dir, 'store.db'));
  let now = T0;
  const ctx = { store, allocator: new ServiceAllocator(), gc: new GarbageCollector(store), now: () => new Date(now) } as ServerContext;
  const sweeper = new PodSweeper(ctx, { intervalMs: 0 });
  try {
    store.create('/core/nodes/ready', node('ready', 'True'));
    store.create('/core/nodes/notready', node('notready', 'Unknown'));
    store.create('/core/nodes/fresh', node('fresh'));
    // [pod, node, finalizers, grace]
    const pods: [string, string, boolean, number][] = [
      ['on-ready', 'ready', false, 10],
      ['on-notready', 'notready', false, 10],
      ['on-fresh', 'fresh', false, 10],
      ['on-missing', 'missing', false, 10],
      ['held', 'missing', true, 10],
      ['later', 'missing', false, 60],
    ];
    for (const [name, nodeName, fin, grace] of pods) {
      const meta: KubeObject['metadata'] = { name, namespace: 'default', uid: name };
      if (fin) meta.finalizers = ['example.com/hold'];
      store.create(`/core/pods/default/${name}`, { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { nodeName, terminationGracePeriodSeconds: grace, containers: [] } });
    }
    store.create('/core/pods/default/alive', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'alive', namespace: 'default' }, spec: { nodeName: 'missing', containers: [] } });
    sweeper.start();
    for (const [name] of pods) {
      deleteOne(ctx, { method: 'DELETE', r: R.pods, namespace: 'default', name, query: new URLSearchParams(), headers: {} });
    }
    const exists = (name: string) => store.get(`/core/pods/default/${name}`) !== undefined;

    now = T0 + 9_000;
    assert.deepEqual(sweeper.sweep(), []);
    now = T0 + 10_000;
    assert.deepEqual(sweeper.sweep().sort(), ['/core/pods/default/held', '/core/pods/default/on-fresh', '/core/pods/default/on-missing', '/core/pods/default/on-notready']);
    assert.deepEqual(pods.map(([n]) => [n, exists(n)]), [['on-ready', true], ['on-notready', false], ['on-fresh', false], ['on-missing', false], ['held', true], ['later', true]]);
    // a finalizer keeps the object, now with grace 0: it goes when the finalizer does
    assert.equal(store.get('/core/pods/default/held')!.metadata.deletionGracePeriodSeconds, 0);
    assert.ok(exists('alive'));

    now = T0 + 60_000;
    assert.deepEqual(sweeper.sweep(), ['/core/pods/default/later']);
    assert.deepEqual(sweeper.sweep(), []);
    assert.ok(exists('on-ready'));
  } finally {
    sweeper.stop();
    ctx.gc.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
