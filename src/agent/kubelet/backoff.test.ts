import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, goDuration } from './backoff.ts';
import { PodIPAllocator } from './ipam.ts';

test('crash-loop back-off: immediate first restart, then 10s doubling to 5m, reset after 10 min', () => {
  const b = new Backoff();
  let now = 0;
  const waits: number[] = [];
  // a container that crashes 1 s after each start
  for (let i = 0; i < 8; i++) {
    const finished = now;
    let t = finished;
    while (b.inBackOffSince('p/c', finished, t)) t += 1000;
    waits.push((t - finished) / 1000);
    b.next('p/c', finished, t);
    now = t + 1000;
  }
  assert.deepEqual(waits, [0, 10, 20, 40, 80, 160, 300, 300]);
  // ran for more than 10 minutes: starts over
  const finished = now + 11 * 60_000;
  assert.equal(b.inBackOffSince('p/c', finished, finished), false);
  b.next('p/c', finished, finished);
  assert.equal(b.get('p/c'), 10_000);
  b.forget('p/');
  assert.equal(b.get('p/c'), 0);
});

test('Go durations in BackOff messages', () => {
  for (const [ms, want] of [[10_000, '10s'], [80_000, '1m20s'], [300_000, '5m0s']] as const) assert.equal(goDuration(ms), want);
});

test('pod IPs: from .2, stable per owner, released, rebuilt by reserve', () => {
  const a = new PodIPAllocator('10.244.1.0/24');
  assert.equal(a.allocate('p1'), '10.244.1.2');
  assert.equal(a.allocate('p2'), '10.244.1.3');
  assert.equal(a.allocate('p1'), '10.244.1.2');
  assert.equal(a.reserve('10.244.1.9', 'p9'), true);
  assert.equal(a.reserve('10.244.2.9', 'x'), false);
  a.release('p2');
  assert.equal(a.inUse(), 2);
  const small = new PodIPAllocator('10.0.0.0/30');
  assert.equal(small.allocate('a'), '10.0.0.2');
  assert.throws(() => small.allocate('b'), /no free pod IP left in 10.0.0.0\/30/);
});
