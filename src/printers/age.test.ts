import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageSince, humanDuration } from './age.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration matches apimachinery duration.HumanDuration', () => {
  const cases: [number, string][] = [
    [-3 * S, '<invalid>'],
    [-1 * S, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [5 * S, '5s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 10 * S, '3m10s'],
    [3 * M + 18 * S, '3m18s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [59 * M, '59m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 31 * M, '3h31m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 5 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [2 * D + 18 * H, '2d18h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 5 * H, '8d'],
    [36 * D, '36d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [3 * 365 * D + 50 * D, '3y50d'],
    [8 * 365 * D + 40 * D, '8y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('ageSince: the AGE cell, <unknown> without a timestamp', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  assert.equal(ageSince('2024-05-01T11:56:42Z', now), '3m18s');
  assert.equal(ageSince('2024-04-30T12:00:00Z', now), '24h');
  assert.equal(ageSince(undefined, now), '<unknown>');
  assert.equal(ageSince('', now), '<unknown>');
  assert.equal(ageSince('not a time', now), '<unknown>');
});
