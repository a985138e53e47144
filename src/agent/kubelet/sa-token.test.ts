// The kubelet's token manager: one TokenRequest per pod, audience and life, bound to the pod;
// the cached token until 80% of its life (or 24 h) has passed; the cached one while a renewal fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../controllers/clock.ts';
import type { KubeObject } from '../../api/types.ts';
import { podTokenSource, requiresRefresh } from './sa-token.ts';

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u1' }, spec: { serviceAccountName: 'robot' } };

test('requiresRefresh: after 80% of the life (minus the jitter), or after 24 hours', () => {
  const iat = Date.parse('2025-01-01T00:00:00Z');
  const t = (secs: number) => ({ token: 'x', expirationTimestamp: new Date(iat + secs * 1000).toISOString(), expirationSeconds: secs });
  const cases: [number, number, number, boolean][] = [
    // life (s), seconds since issue, jitter (ms), refresh?
    [3607, 2885, 0, false],
    [3607, 2886, 0, true],
    [3607, 2880, 10_000, true],
    [3600 * 48, 3600 * 23, 0, false],
    [3600 * 48, 3600 * 24 + 1, 0, true],
  ];
  for (const [life, after, jitter, want] of cases) assert.equal(requiresRefresh(t(life), iat + after * 1000, jitter), want, `${life}s after ${after}s, jitter ${jitter}ms`);
});

test('one TokenRequest, bound to the pod, reused until renewal time; the old token while a renewal fails', async () => {
  const clock = new FakeClock(Date.parse('2025-01-01T00:00:00Z'));
  const asked: { path: string; body: any }[] = [];
  let fail = false;
  const client = {
    json: async (_m: string, path: string, body?: unknown) => {
      if (fail) throw new Error('connection refused');
      asked.push({ path, body });
      return { status: { token: `t${asked.length}`, expirationTimestamp: new Date(clock.now() + 3607_000).toISOString() } };
    },
  } as never;
  const src = podTokenSource(client, clock, () => 0);
  assert.equal((await src.requestToken(pod, { serviceAccountName: 'robot', expirationSeconds: 3607 })).token, 't1');
  assert.deepEqual(asked[0], {
    path: '/api/v1/namespaces/shop/serviceaccounts/robot/token',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'u1' } } },
  });
  clock.advance(2800_000);
  assert.equal((await src.requestToken(pod, { serviceAccountName: 'robot', expirationSeconds: 3607 })).token, 't1');
  assert.equal((await src.requestToken(pod, { serviceAccountName: 'robot', audience: 'vault', expirationSeconds: 3607 })).token, 't2', 'another audience is another token');
  assert.deepEqual(asked[1]!.body.spec.audiences, ['vault']);
  clock.advance(100_000);
  fail = true;
  assert.equal((await src.requestToken(pod, { serviceAccountName: 'robot', expirationSeconds: 3607 })).token, 't1', 'renewal failed: the old one is still valid');
  fail = false;
  assert.equal((await src.requestToken(pod, { serviceAccountName: 'robot', expirationSeconds: 3607 })).token, 't3');
  src.forget('u1');
  assert.equal((await src.requestToken(pod, { serviceAccountName: 'robot', expirationSeconds: 3607 })).token, 't4');
});
