import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isReadySince } from './steps/wait.ts';

test('nodes count as Ready only with a heartbeat since the start', () => {
  const ready = [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:10Z' }];
  assert.equal(isReadySince(ready, -Infinity), true);
  assert.equal(isReadySince(ready, Date.parse('2026-01-01T00:00:10Z')), true);
  assert.equal(isReadySince(ready, Date.parse('2026-01-01T00:00:11Z')), false);
  assert.equal(isReadySince([{ type: 'Ready', status: 'False', lastHeartbeatTime: '2026-01-01T00:00:10Z' }], -Infinity), false);
});
