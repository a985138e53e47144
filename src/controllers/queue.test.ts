import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.ts';
import { WorkQueue } from './queue.ts';

test('dedup: a key queued many times runs once', async () => {
  const ran: string[] = [];
  const q = new WorkQueue(async (k) => void ran.push(k), { clock: new FakeClock() });
  for (const k of ['a', 'b', 'a', 'a', 'b', 'c']) q.add(k);
  await q.whenIdle();
  assert.deepEqual(ran, ['a', 'b', 'c']);
});

test('a key added while it is processed runs once more afterwards, never concurrently', async () => {
  const ran: string[] = [];
  let active = 0;
  let q!: WorkQueue;
  let first = true;
  q = new WorkQueue(
    async (k) => {
      active++;
      assert.equal(active, 1);
      ran.push(k);
      if (first) {
        first = false;
        q.add('a');
        q.add('a');
      }
      await new Promise((r) => setImmediate(r));
      active--;
    },
    { clock: new FakeClock() },
  );
  q.add('a');
  await q.whenIdle();
  assert.deepEqual(ran, ['a', 'a']);
});

test('failures come back after 5, 10, 20 ms; success forgets them', async () => {
  const clock = new FakeClock();
  const ran: number[] = [];
  let fails = 3;
  const errors: string[] = [];
  const q = new WorkQueue(
    async () => {
      ran.push(clock.now());
      if (fails-- > 0) throw new Error('conflict');
    },
    { clock, onError: (k, e) => errors.push(`${k}: ${(e as Error).message}`) },
  );
  const t0 = clock.now();
  q.add('k');
  await q.whenIdle();
  for (const step of [5, 10, 20]) {
    const before = ran.length;
    assert.equal(q.retries('k'), before);
    clock.advance(step - 1);
    await q.whenIdle();
    assert.equal(ran.length, before, 'nothing runs before the delay');
    clock.advance(1);
    await q.whenIdle();
  }
  assert.deepEqual(ran.map((t) => t - t0), [0, 5, 15, 35]);
  assert.equal(q.retries('k'), 0);
  assert.equal(errors.length, 3);
  assert.equal(errors[0], 'k: conflict');
});

test('addAfter keeps the earliest pending time; shutdown drops everything', async () => {
  const clock = new FakeClock();
  const ran: number[] = [];
  const q = new WorkQueue(async () => void ran.push(clock.now()), { clock });
  const t0 = clock.now();
  q.addAfter('k', 100);
  q.addAfter('k', 50);
  q.addAfter('k', 200);
  clock.advance(49);
  await q.whenIdle();
  assert.deepEqual(ran, []);
  clock.advance(1);
  await q.whenIdle();
  assert.deepEqual(ran.map((t) => t - t0), [50]);
  q.addAfter('k', 10);
  q.shutdown();
  clock.advance(100);
  q.add('k');
  await q.whenIdle();
  assert.equal(ran.length, 1);
  assert.equal(clock.pending(), 0);
});
