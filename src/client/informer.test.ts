import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../api/resources.ts';
import { ApiError } from '../api/status.ts';
import type { KubeObject, KubeList, WatchEvent } from '../api/types.ts';
import { Informer, objectKey, splitKey, type ListWatchClient } from './informer.ts';

const pods = R.pods;
const pod = (name: string, rv: string, ns = 'default'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, resourceVersion: rv } });

type Step = WatchEvent | 'expire' | 'close' | 'fail';

/** Lists come from `lists` in turn; each watch plays the next script until 'close'/'expire'/'fail'. */
function scripted(lists: KubeObject[][], watches: Step[][]) {
  const calls: string[] = [];
  let li = 0;
  let wi = 0;
  const client: ListWatchClient = {
    async list(): Promise<KubeList> {
      const items = lists[Math.min(li, lists.length - 1)]!;
      li++;
      calls.push(`list`);
      const rv = String(10 * li);
      return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: rv }, items };
    },
    async *watch(_r, o) {
      calls.push(`watch rv=${o?.resourceVersion}`);
      const script = watches[wi++] ?? [];
      for (const step of script) {
        await Promise.resolve();
        if (step === 'close') return;
        if (step === 'expire') throw new ApiError(410, 'Expired', 'too old resource version: 1 (5)');
        if (step === 'fail') throw new Error('connection reset');
        yield step;
      }
      // Script exhausted: hang until aborted, like an open stream.
      await new Promise<void>((resolve) => o?.signal?.addEventListener('abort', () => resolve()));
    },
  };
  return { client, calls };
}

function recorder(inf: Informer) {
  const seen: string[] = [];
  inf.addHandlers({
    onAdd: (o) => seen.push(`add ${objectKey(o)}@${o.metadata.resourceVersion}`),
    onUpdate: (o, old) => seen.push(`update ${objectKey(o)}@${old.metadata.resourceVersion}->${o.metadata.resourceVersion}`),
    onDelete: (o) => seen.push(`delete ${objectKey(o)}`),
  });
  return seen;
}

const settle = () => new Promise((r) => setTimeout(r, 20));

test('keys', () => {
  assert.equal(objectKey(pod('a', '1')), 'default/a');
  assert.equal(objectKey({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }), 'n1');
  assert.deepEqual(splitKey('default/a'), { namespace: 'default', name: 'a' });
  assert.deepEqual(splitKey('n1'), { name: 'n1' });
});

const cases: { name: string; lists: KubeObject[][]; watches: Step[][]; want: string[]; calls: string[]; delays: number[]; errors: number }[] = [
  {
    name: 'list then watch from the list resourceVersion',
    lists: [[pod('a', '3'), pod('b', '4')]],
    watches: [[{ type: 'ADDED', object: pod('c', '11') }, { type: 'MODIFIED', object: pod('a', '12') }, { type: 'BOOKMARK', object: pod('', '13') }, { type: 'DELETED', object: pod('b', '14') }]],
    want: ['add default/a@3', 'add default/b@4', 'add default/c@11', 'update default/a@3->12', 'delete default/b'],
    calls: ['list', 'watch rv=10'],
    delays: [],
    errors: 0,
  },
  {
    name: '410 Expired: re-list at once, and the diff becomes events',
    lists: [[pod('a', '3'), pod('b', '4')], [pod('a', '15'), pod('d', '16')]],
    watches: [['expire']],
    want: ['add default/a@3', 'add default/b@4', 'update default/a@3->15', 'add default/d@16', 'delete default/b'],
    calls: ['list', 'watch rv=10', 'list', 'watch rv=20'],
    delays: [],
    errors: 0,
  },
  {
    name: 'a failing stream re-lists with a doubling back-off',
    lists: [[pod('a', '3')], [pod('a', '3')], [pod('a', '3')]],
    watches: [['fail'], ['fail']],
    want: ['add default/a@3'],
    calls: ['list', 'watch rv=10', 'list', 'watch rv=20', 'list', 'watch rv=30'],
    delays: [800, 1600],
    errors: 2,
  },
  {
    name: 'a stream closed at once re-lists after a back-off (no hot loop)',
    lists: [[pod('a', '3')], [pod('a', '3')]],
    watches: [['close']],
    want: ['add default/a@3'],
    calls: ['list', 'watch rv=10', 'list', 'watch rv=20'],
    delays: [800],
    errors: 0,
  },
];

for (const c of cases) {
  test(`informer: ${c.name}`, async () => {
    const { client, calls } = scripted(c.lists, c.watches);
    const delays: number[] = [];
    let errors = 0;
    const inf = new Informer(client, pods, { delay: async (ms) => void delays.push(ms), now: () => 0, onError: () => errors++ });
    const seen = recorder(inf);
    assert.equal(inf.hasSynced(), false);
    inf.start();
    await inf.waitForSync();
    assert.equal(inf.hasSynced(), true);
    await settle();
    await inf.stop();
    assert.deepEqual(seen, c.want);
    assert.deepEqual(calls, c.calls);
    assert.deepEqual(delays, c.delays);
    assert.equal(errors, c.errors);
  });
}

test('informer cache: get, list by namespace, late handlers hear the cache', async () => {
  const { client } = scripted([[pod('a', '1'), pod('b', '2', 'other'), pod('c', '3')]], [[]]);
  const inf = new Informer(client, pods, { onError: (e) => assert.fail(String(e)) });
  inf.start();
  await inf.waitForSync();
  assert.equal(inf.get('other', 'b')?.metadata.resourceVersion, '2');
  assert.equal(inf.getByKey('default/c')?.metadata.name, 'c');
  assert.deepEqual(inf.list('default').map((o) => o.metadata.name), ['a', 'c']);
  assert.equal(inf.list().length, 3);
  const seen = recorder(inf);
  assert.deepEqual(seen, ['add default/a@1', 'add other/b@2', 'add default/c@3']);
  await inf.stop();
});

test('a throwing handler goes to onError, the cache still updates', async () => {
  const { client } = scripted([[]], [[{ type: 'ADDED', object: pod('a', '11') }]]);
  const errs: unknown[] = [];
  const inf = new Informer(client, pods, { onError: (e) => errs.push(e) });
  inf.addHandlers({ onAdd: () => { throw new Error('boom'); } });
  inf.start();
  await settle();
  await inf.stop();
  assert.equal(errs.length, 1);
  assert.ok(inf.get('default', 'a'));
});
