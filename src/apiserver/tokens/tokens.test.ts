// Service account tokens: ES256 JWTs with kube-apiserver's claims, and the authenticator that
// accepts them only while they are signed by this cluster, meant for it, in date, and their
// account and bound object still exist with the same uid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.ts';
import { loadSigningKey, signJwt, verifyJwt, type SigningKey } from './jwt.ts';
import { authenticateToken, issueToken, tokenClaims, type Lookup } from './serviceaccount.ts';

const dir = mkdtempSync(join(tmpdir(), 'mk-sa-key-'));
const key = loadSigningKey(dir);
const other = (): SigningKey => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, kid: key.kid };
};
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const obj = (kind: string, name: string, uid: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'default', uid, ...extra } });
const sa = obj('ServiceAccount', 'default', 'sa-uid');
const pod = obj('Pod', 'web', 'pod-uid');
const NOW = new Date('2025-01-01T00:00:00Z');
const T = NOW.getTime() / 1000;
const b64json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString());

test('the signing key is kept 0600 in the data dir and reused; kid is the hash of its public key', () => {
  assert.equal((statSync(join(dir, 'sa.key')).mode & 0o777).toString(8), '600');
  const again = loadSigningKey(dir);
  assert.equal(again.kid, key.kid);
  const der = createPublicKey(readFileSync(join(dir, 'sa.pub'), 'utf8')).export({ type: 'spki', format: 'der' });
  assert.equal(key.kid, createHash('sha256').update(der).digest('base64url'));
});

test('a pod-bound token: ES256 header with kid, kube-apiserver\'s claims, a signature any ES256 verifier accepts', () => {
  const token = issueToken({ sa, pod, node: { name: 'mk', uid: 'node-uid' }, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, now: NOW }, key);
  const [h, p, s] = token.split('.') as [string, string, string];
  assert.deepEqual(b64json(h), { alg: 'ES256', kid: key.kid });
  const claims = b64json(p);
  assert.match(claims.jti, /^[0-9a-f-]{36}$/);
  assert.deepEqual({ ...claims, jti: 'x' }, {
    aud: ['https://kubernetes.default.svc.cluster.local'],
    exp: T + 3600,
    iat: T,
    iss: 'https://kubernetes.default.svc.cluster.local',
    jti: 'x',
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: 'sa-uid' }, node: { name: 'mk', uid: 'node-uid' }, pod: { name: 'web', uid: 'pod-uid' } },
    nbf: T,
    sub: 'system:serviceaccount:default:default',
  });
  assert.equal(verify('sha256', Buffer.from(`${h}.${p}`), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')), true);
  assert.equal(tokenClaims({ sa, audiences: ['a'], expirationSeconds: 600, warnAfterSeconds: 60, now: NOW })['kubernetes.io'].warnafter, T + 60);
});

test('verification refuses what this key did not sign as ES256', () => {
  const good = signJwt({ a: 1 }, key);
  const [h, p, s] = good.split('.') as [string, string, string];
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
  const cases: [string, string][] = [
    ['not-a-token', 'not a JWT'],
    [`${h}.${Buffer.from('{"a":2}').toString('base64url')}.${s}`, 'invalid signature'],
    [signJwt({ a: 1 }, other()), 'invalid signature'],
    [none, 'not a JWT'],
    [`${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${p}.${s}`, 'unsupported signing algorithm RS256'],
    [`${Buffer.from(`{"alg":"ES256","kid":"other"}`).toString('base64url')}.${p}.${s}`, 'unknown key id'],
  ];
  for (const [token, error] of cases) assert.deepEqual(verifyJwt(token, key), { error }, token);
  assert.deepEqual(verifyJwt(good, key), { payload: { a: 1 } });
});

test('the authenticator: who the token speaks for, and every reason to refuse it', () => {
  const objects = new Map<string, KubeObject>([['serviceaccounts/default', sa], ['pods/web', pod]]);
  const lookup: Lookup = (plural, _ns, name) => objects.get(`${plural}/${name}`);
  const at = (secs: number) => new Date(NOW.getTime() + secs * 1000);
  const token = (o: Partial<Parameters<typeof issueToken>[0]> = {}, k = key) =>
    issueToken({ sa, pod, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, now: NOW, ...o }, k);

  const ok = authenticateToken(token(), key, lookup, at(10));
  assert.deepEqual(ok, {
    user: {
      username: 'system:serviceaccount:default:default',
      uid: 'sa-uid',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      namespace: 'default',
      name: 'default',
      pod: { name: 'web', uid: 'pod-uid' },
    },
  });
  assert.ok('user' in authenticateToken(token(), key, lookup, at(3600 + 59)), 'a minute of leeway');

  const refused: [string, () => string, Date, Lookup?][] = [
    ['token has expired', () => token(), at(3600 + 61)],
    ['token is not valid yet', () => token({ now: at(300) }), NOW],
    ['token audiences do not match the API server\'s', () => token({ audiences: ['vault'] }), NOW],
    ['invalid signature', () => token({}, other()), NOW],
    ['serviceaccount default has been deleted', () => token(), NOW, (pl, ns, n) => (pl === 'serviceaccounts' ? undefined : lookup(pl, ns, n))],
    ['serviceaccount UID (new-uid) does not match claim (sa-uid)', () => token(), NOW, (pl, ns, n) => (pl === 'serviceaccounts' ? obj('ServiceAccount', 'default', 'new-uid') : lookup(pl, ns, n))],
    ['pod web has been deleted', () => token(), NOW, (pl, ns, n) => (pl === 'pods' ? undefined : lookup(pl, ns, n))],
    ['pod web is being deleted', () => token(), at(120), (pl, ns, n) => (pl === 'pods' ? obj('Pod', 'web', 'pod-uid', { deletionTimestamp: NOW.toISOString() }) : lookup(pl, ns, n))],
  ];
  for (const [error, make, now, look] of refused) assert.deepEqual(authenticateToken(make(), key, look ?? lookup, now), { error }, error);
  // a pod being deleted keeps its tokens for a minute (its containers are still stopping)
  assert.ok('user' in authenticateToken(token(), key, (pl, ns, n) => (pl === 'pods' ? obj('Pod', 'web', 'pod-uid', { deletionTimestamp: NOW.toISOString() }) : lookup(pl, ns, n)), at(30)));
  const noPod = issueToken({ sa, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 600, now: NOW }, key);
  assert.deepEqual(authenticateToken(noPod, key, lookup, NOW), { user: { username: 'system:serviceaccount:default:default', uid: 'sa-uid', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'], namespace: 'default', name: 'default' } });
});
