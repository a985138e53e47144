import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESOURCES } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { Store, StoreError, keyFor, prefixFor, type StoreEvent } from './index.ts';

const svcR = RESOURCES.find((r) => r.plural === 'services')!;
const deployR = RESOURCES.find((r) => r.plural === 'deployments')!;
const nodeR = RESOURCES.find((r) => r.plural === 'nodes')!;

function svc(name: string, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 80 }] } };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e.code;
    throw e;
  }
  return undefined;
}

test('keys: namespaced, grouped and cluster-scoped kinds', () => {
  const cases: [string, string][] = [
    [keyFor(svcR, 'default', 'kubia'), '/core/services/default/kubia'],
    [keyFor(deployR, 'default', 'web'), '/apps/deployments/default/web'],
    [keyFor(nodeR, undefined, 'n1'), '/core/nodes/n1'],
    [prefixFor(svcR), '/core/services/'],
    [prefixFor(svcR, 'default'), '/core/services/default/'],
    [prefixFor(nodeR), '/core/nodes/'],
  ];
  for (const [got, want] of cases) assert.equal(got, want);
});

test('revisions increase across kinds and become resourceVersion', () => {
  const s = Store.open(':memory:');
  assert.equal(s.revision, 0);
  const a = s.create(keyFor(svcR, 'default', 'a'), svc('a'));
  const d = s.create(keyFor(deployR, 'default', 'web'), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } });
  const a2 = s.update(keyFor(svcR, 'default', 'a'), { ...a, spec: { ports: [{ port: 81 }] } });
  assert.deepEqual([a.metadata.resourceVersion, d.metadata.resourceVersion, a2.metadata.resourceVersion], ['1', '2', '3']);
  assert.equal(s.revision, 3);
  assert.equal(s.get(keyFor(svcR, 'default', 'a'))!.metadata.resourceVersion, '3');
  assert.equal(s.get(keyFor(svcR, 'default', 'a'))!.spec.ports[0].port, 81);
  assert.equal(s.get(keyFor(svcR, 'default', 'missing')), undefined);
  s.close();
});

test('get and create return copies the caller may mutate', () => {
  const s = Store.open(':memory:');
  const input = svc('a');
  const created = s.create('/core/services/default/a', input);
  assert.equal(input.metadata.resourceVersion, undefined);
  created.spec.ports[0].port = 9;
  const got = s.get('/core/services/default/a')!;
  got.metadata.name = 'changed';
  assert.equal(s.get('/core/services/default/a')!.spec.ports[0].port, 80);
  assert.equal(s.get('/core/services/default/a')!.metadata.name, 'a');
  s.close();
});

test('write failures: AlreadyExists, NotFound, Conflict', () => {
  const s = Store.open(':memory:');
  const k = '/core/services/default/a';
  s.create(k, svc('a')); // rev 1
  s.update(k, svc('a')); // rev 2
  const cases: [string, () => unknown, string][] = [
    ['create twice', () => s.create(k, svc('a')), 'AlreadyExists'],
    ['update missing', () => s.update('/core/services/default/b', svc('b')), 'NotFound'],
    ['update stale', () => s.update(k, svc('a'), 1), 'Conflict'],
    ['delete missing', () => s.delete('/core/services/default/b'), 'NotFound'],
    ['delete stale', () => s.delete(k, 1), 'Conflict'],
  ];
  for (const [name, fn, want] of cases) assert.equal(codeOf(fn), want, name);
  assert.equal(s.revision, 2, 'failed writes take no revision');
  assert.equal(s.update(k, svc('a'), 2).metadata.resourceVersion, '3');
  s.close();
});

test('delete returns the object at the delete revision and removes it', () => {
  const s = Store.open(':memory:');
  const k = '/core/services/default/a';
  s.create(k, svc('a'));
  const gone = s.delete(k, 1);
  assert.equal(gone.metadata.resourceVersion, '2');
  assert.equal(gone.metadata.name, 'a');
  assert.equal(s.get(k), undefined);
  assert.equal(s.revision, 2);
  s.close();
});

test('list by prefix: namespace, all namespaces, no neighbour leaks, sorted by key', () => {
  const s = Store.open(':memory:');
  for (const [ns, n] of [['default', 'b'], ['default2', 'x'], ['default', 'a'], ['kube-system', 'kube-dns']]) s.create(keyFor(svcR, ns, n), svc(n, ns));
  s.create(keyFor(deployR, 'default', 'web'), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } });
  const names = (p: string) => s.list(p).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
  assert.deepEqual(names(prefixFor(svcR, 'default')), ['default/a', 'default/b']);
  assert.deepEqual(names(prefixFor(svcR, 'default2')), ['default2/x']);
  assert.deepEqual(names(prefixFor(svcR)), ['default/a', 'default/b', 'default2/x', 'kube-system/kube-dns']);
  assert.deepEqual(names('/'), ['default/web', 'default/a', 'default/b', 'default2/x', 'kube-system/kube-dns']);
  assert.deepEqual(names(prefixFor(svcR, 'nope')), []);
  assert.equal(s.list('/').revision, 5);
  assert.deepEqual(s.listEntries(prefixFor(svcR, 'default')).entries.map(([k, o]) => [k, o.metadata.name]), [
    ['/core/services/default/a', 'a'],
    ['/core/services/default/b', 'b'],
  ]);
  s.close();
});

test('watch from a revision: history first, then live events, in order, filtered by prefix', () => {
  const s = Store.open(':memory:');
  s.create('/core/services/default/a', svc('a')); // 1
  s.create('/core/services/other/z', svc('z', 'other')); // 2
  s.update('/core/services/default/a', svc('a')); // 3
  s.create('/core/services/default/b', svc('b')); // 4
  const seen: string[] = [];
  const stop = s.watch('/core/services/default/', 1, (ev) => seen.push(`${ev.type} ${ev.object.metadata.name} ${ev.revision} ${ev.object.metadata.resourceVersion}`));
  assert.deepEqual(seen, ['MODIFIED a 3 3', 'ADDED b 4 4']);
  s.delete('/core/services/default/a'); // 5
  s.create('/core/services/default2/c', svc('c', 'default2')); // 6: other namespace
  s.create('/core/services/default/c', svc('c')); // 7
  stop();
  s.create('/core/services/default/d', svc('d')); // 8: after unsubscribe
  assert.deepEqual(seen, ['MODIFIED a 3 3', 'ADDED b 4 4', 'DELETED a 5 5', 'ADDED c 7 7']);
  s.close();
});

test('watch events carry prev for MODIFIED and DELETED; one object shared by all watchers', () => {
  const s = Store.open(':memory:');
  const got: StoreEvent[][] = [[], []];
  s.watch('/', 0, (ev) => got[0].push(ev));
  s.watch('/core/', 0, (ev) => got[1].push(ev));
  s.create('/core/services/default/a', svc('a'));
  s.update('/core/services/default/a', { ...svc('a'), spec: { ports: [{ port: 90 }] } });
  s.delete('/core/services/default/a');
  assert.deepEqual(got[0].map((e) => [e.type, e.prev?.metadata.resourceVersion]), [['ADDED', undefined], ['MODIFIED', '1'], ['DELETED', '2']]);
  assert.equal(got[0][2].prev!.spec.ports[0].port, 90);
  for (let i = 0; i < 3; i++) assert.equal(got[0][i], got[1][i]);
  s.close();
});

test('a watcher writing from its callback does not reorder other watchers', () => {
  const s = Store.open(':memory:');
  const order: number[] = [];
  s.watch('/core/services/', 0, (ev) => {
    if (ev.object.metadata.name === 'a') s.create('/core/services/default/from-callback', svc('from-callback'));
  });
  s.watch('/core/services/', 0, (ev) => order.push(ev.revision));
  s.create('/core/services/default/a', svc('a'));
  s.create('/core/services/default/b', svc('b'));
  assert.deepEqual(order, [1, 2, 3]);
  s.close();
});

test('watch from a revision older than the history kept is Expired', () => {
  const s = Store.open(':memory:', { historySize: 3 });
  for (let i = 0; i < 6; i++) s.create(`/core/services/default/s${i}`, svc(`s${i}`)); // history keeps 4..6
  const cases: [number, string | undefined][] = [[0, 'Expired'], [2, 'Expired'], [3, undefined], [6, undefined]];
  for (const [from, want] of cases) {
    assert.equal(codeOf(() => s.watch('/', from, () => {})()), want, `from ${from}`);
  }
  try {
    s.watch('/', 1, () => {});
    assert.fail('expected Expired');
  } catch (e) {
    assert.ok(e instanceof StoreError);
    assert.equal(e.message, 'too old resource version: 1 (3)');
    assert.equal(e.requestedRevision, 1);
    assert.equal(e.oldestRevision, 3);
  }
  s.close();
});

test('the watch history is bounded by bytes: old revisions are evicted (Expired), recent ones replay', () => {
  const big = (name: string, fill: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { blob: fill.repeat(10_000) } });
  const s = Store.open(':memory:', { historyBytes: 50_000 });
  const key = '/core/configmaps/default/big';
  s.create(key, big('big', 'a')); // rev 1: ~10 kB
  for (let i = 0; i < 9; i++) s.update(key, big('big', String(i))); // revs 2..10: ~20 kB each (object + previous)
  const h = s.history;
  assert.ok(h.bytes <= 50_000, `history holds ${h.bytes} bytes`);
  assert.ok(h.events >= 2 && h.events < 10, `history keeps ${h.events} events`);
  const oldest = 10 - h.events + 1;
  // too old: 410 with the oldest revision a watch may start from
  for (const from of [0, 1, oldest - 2]) {
    assert.throws(() => s.watch('/', from, () => {}), (e: unknown) => e instanceof StoreError && e.code === 'Expired' && e.message === `too old resource version: ${from} (${oldest - 1})`, `from ${from}`);
  }
  // recent: every later event replays, in order, with its whole object
  const seen: [number, string][] = [];
  s.watch('/', oldest - 1, (ev) => seen.push([ev.revision, ev.object.data!.blob.slice(0, 1)]))();
  assert.deepEqual(seen.map(([r]) => r), Array.from({ length: h.events }, (_, i) => oldest + i));
  assert.deepEqual(seen.at(-1), [10, '8']);
  s.close();
});

test('one event larger than the byte budget is still kept as the newest', () => {
  const s = Store.open(':memory:', { historyBytes: 100 });
  s.create('/core/services/default/a', svc('a'));
  s.create('/core/services/default/b', { ...svc('b'), metadata: { name: 'b', namespace: 'default', annotations: { x: 'y'.repeat(500) } } });
  assert.equal(s.history.events, 1);
  const seen: number[] = [];
  s.watch('/', 1, (ev) => seen.push(ev.revision))();
  assert.deepEqual(seen, [2]);
  assert.throws(() => s.watch('/', 0, () => {}), { code: 'Expired' });
  s.close();
});

test('transaction: all writes commit together; events only after commit', () => {
  const s = Store.open(':memory:');
  const seen: number[] = [];
  s.watch('/', 0, (ev) => seen.push(ev.revision));
  const r = s.transaction(() => {
    s.create('/core/services/default/a', svc('a'));
    s.create('/core/services/default/b', svc('b'));
    assert.deepEqual(seen, [], 'no events before commit');
    return 'ok';
  });
  assert.equal(r, 'ok');
  assert.deepEqual(seen, [1, 2]);
  s.close();
});

test('transaction rollback writes nothing, emits nothing, takes no revision', () => {
  const s = Store.open(':memory:');
  s.create('/core/services/default/a', svc('a'));
  const seen: number[] = [];
  s.watch('/', 1, (ev) => seen.push(ev.revision));
  assert.equal(
    codeOf(() =>
      s.transaction(() => {
        s.create('/core/services/default/b', svc('b'));
        s.delete('/core/services/default/a');
        s.create('/core/services/default/b', svc('b')); // AlreadyExists: everything rolls back
      }),
    ),
    'AlreadyExists',
  );
  assert.deepEqual(seen, []);
  assert.equal(s.revision, 1);
  assert.deepEqual(s.list('/').items.map((o) => o.metadata.name), ['a']);
  assert.equal(s.create('/core/services/default/c', svc('c')).metadata.resourceVersion, '2');
  assert.deepEqual(seen, [2]);
  s.close();
});

test('nested transaction rolls back only its own writes', () => {
  const s = Store.open(':memory:');
  s.transaction(() => {
    s.create('/core/services/default/a', svc('a'));
    assert.throws(() => s.transaction(() => {
      s.create('/core/services/default/b', svc('b'));
      throw new Error('inner');
    }), /inner/);
    s.create('/core/services/default/c', svc('c'));
  });
  assert.deepEqual(s.list('/').items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`), ['a@1', 'c@2']);
  s.close();
});

test('reopening the file keeps objects and the revision; history starts empty', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-store-'));
  try {
    const file = join(dir, 'state.db');
    let s = Store.open(file);
    s.create('/core/services/default/a', svc('a'));
    s.create('/core/services/default/b', svc('b'));
    s.delete('/core/services/default/b'); // revision 3 is a delete: max(rev) of rows alone would say 1
    s.close();
    s = Store.open(file);
    assert.equal(s.revision, 3);
    assert.deepEqual(s.list('/').items.map((o) => o.metadata.name), ['a']);
    assert.equal(codeOf(() => s.watch('/', 1, () => {})), 'Expired');
    assert.equal(codeOf(() => s.watch('/', 3, () => {})()), undefined);
    assert.equal(s.create('/core/services/default/c', svc('c')).metadata.resourceVersion, '4');
    s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
