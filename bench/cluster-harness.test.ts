// The cluster bench harness's parsing and arithmetic: mk start's step lines, docker stats sizes,
// percentiles. Run: npx node --test bench/cluster-harness.test.ts (bench/ is outside npm test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerBytes, pct, stepTimes } from './cluster-harness.ts';

test('stepTimes reads the plain lines of mk start', () => {
  const out = '✓ Checking Docker  0.0s\n✓ Creating network mk-p (10.244.0.0/16)  0.1s\n✗ Waiting for the API server  12.5s\nRolling back\nDone! kubectl is now configured to use "p" cluster\n';
  assert.deepEqual(stepTimes(out), [['Checking Docker', 0], ['Creating network mk-p (10.244.0.0/16)', 0.1]]);
});

for (const [text, bytes] of [
  ['76.2MiB / 23.54GiB', 76.2 * 1024 ** 2],
  ['512KiB / 1GiB', 512 * 1024],
  ['1.5GiB / 2GiB', 1.5 * 1024 ** 3],
  ['900B / 1GiB', 900],
  ['12.5MB / 1GB', 12.5e6],
] as const) {
  test(`parseDockerBytes ${text}`, () => assert.equal(parseDockerBytes(text), bytes));
}

test('parseDockerBytes refuses what is not a size', () => assert.throws(() => parseDockerBytes('--'), /not a docker size/));

test('pct: nearest rank', () => {
  const xs = Array.from({ length: 30 }, (_, i) => 30 - i); // 30..1, unsorted on purpose
  assert.deepEqual([pct(xs, 0), pct(xs, 50), pct(xs, 99), pct(xs, 100)], [1, 15, 30, 30]);
  assert.equal(pct([5, 1, 3], 50), 3);
});
