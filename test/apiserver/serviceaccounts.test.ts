// Service accounts through the API server: the ServiceAccount admission plugin on pod create (the
// account, the kube-api-access-xxxxx projected volume and its mounts, automountServiceAccountToken,
// the refusal of a missing account), TokenRequest, and tokens as bearer credentials.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from './harness.ts';

let c: TestCluster;
before(async () => {
  c = await TestCluster.start();
});
after(async () => {
  await c.stop();
});

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'main', image: 'busybox' }], ...spec },
});
const PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

test('a pod gets the default account and the kube-api-access volume, mounted read-only in every container', async () => {
  const r = await c.post('/api/v1/namespaces/default/pods', pod('web', {
    initContainers: [{ name: 'init', image: 'busybox' }],
    containers: [{ name: 'main', image: 'busybox' }, { name: 'side', image: 'busybox', volumeMounts: [{ name: 'own', mountPath: PATH }] }],
    volumes: [{ name: 'own', emptyDir: {} }],
  }));
  assert.equal(r.status, 201, r.text);
  const spec = r.json.spec;
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.serviceAccount, 'default');
  const vol = spec.volumes[1];
  assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(vol.projected, {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  });
  const mount = { name: vol.name, readOnly: true, mountPath: PATH };
  assert.deepEqual(spec.initContainers[0].volumeMounts, [mount]);
  assert.deepEqual(spec.containers[0].volumeMounts, [mount]);
  assert.deepEqual(spec.containers[1].volumeMounts, [{ name: 'own', mountPath: PATH }], 'a container that mounts something there keeps it');
  // the same pod made again from its own yaml keeps its volume, none is added
  const again = await c.post('/api/v1/namespaces/default/pods', { ...pod('web-again'), spec: { ...spec, nodeName: undefined } });
  assert.equal(again.status, 201, again.text);
  assert.deepEqual(again.json.spec.volumes.map((v: { name: string }) => v.name), ['own', vol.name]);
});

test('automountServiceAccountToken: false on the pod or the account; the pod\'s word wins', async () => {
  const noMount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet' }, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'regcred' }] };
  assert.equal((await c.post('/api/v1/namespaces/default/serviceaccounts', noMount)).status, 201);
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['pod-false', { automountServiceAccountToken: false }, false],
    ['sa-false', { serviceAccountName: 'quiet' }, false],
    ['pod-true-sa-false', { serviceAccountName: 'quiet', automountServiceAccountToken: true }, true],
    ['deprecated-field', { serviceAccount: 'quiet' }, false],
  ];
  for (const [name, spec, mounted] of cases) {
    const r = await c.post('/api/v1/namespaces/default/pods', pod(name, spec));
    assert.equal(r.status, 201, r.text);
    assert.equal((r.json.spec.volumes ?? []).some((v: { name: string }) => v.name.startsWith('kube-api-access-')), mounted, name);
    assert.equal(r.json.spec.containers[0].volumeMounts !== undefined, mounted, name);
  }
  const quiet = (await c.get('/api/v1/namespaces/default/pods/deprecated-field')).json.spec;
  assert.deepEqual([quiet.serviceAccountName, quiet.serviceAccount, quiet.imagePullSecrets], ['quiet', 'quiet', [{ name: 'regcred' }]]);
});

test('a pod naming a missing account is refused as kube-apiserver refuses it', async () => {
  const r = await c.post('/api/v1/namespaces/default/pods', pod('lost', { serviceAccountName: 'nobody' }));
  assert.equal(r.status, 403);
  assert.deepEqual([r.json.reason, r.json.message], ['Forbidden', 'pods "lost" is forbidden: error looking up service account default/nobody: serviceaccount "nobody" not found']);
  assert.equal((await c.get('/api/v1/namespaces/default/pods/lost')).status, 404);
});

test('a pod made right after its namespace waits for the default account', async () => {
  assert.equal((await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } })).status, 201);
  const r = await c.post('/api/v1/namespaces/fresh/pods', pod('first'));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.spec.serviceAccountName, 'default');
});

test('TokenRequest: a token for the account, an hour by default, bound to a pod on request; the API accepts it until its pod goes', async () => {
  const tr = await c.post('/api/v1/namespaces/default/serviceaccounts/default/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
  assert.equal(tr.status, 201, tr.text);
  assert.deepEqual({ ...tr.json, status: { ...tr.json.status, token: 'T', expirationTimestamp: 'E' }, metadata: { ...tr.json.metadata, creationTimestamp: 'C' } }, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: 'default', namespace: 'default', creationTimestamp: 'C' },
    spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, boundObjectRef: null },
    status: { token: 'T', expirationTimestamp: 'E' },
  });
  assert.equal(Date.parse(tr.json.status.expirationTimestamp) - Date.parse(tr.json.metadata.creationTimestamp), 3600_000);
  const token = tr.json.status.token as string;
  assert.equal((await c.get('/api/v1/namespaces/default/pods', { token })).status, 200);
  assert.equal((await c.get('/api/v1/namespaces/default/pods', { token: token.slice(0, -2) + 'AA' })).status, 401);

  const web = (await c.get('/api/v1/namespaces/default/pods/web')).json;
  const bound = await c.post('/api/v1/namespaces/default/serviceaccounts/default/token', {
    spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: web.metadata.uid } },
  });
  assert.equal(bound.status, 201, bound.text);
  const claims = JSON.parse(Buffer.from(bound.json.status.token.split('.')[1], 'base64url').toString());
  assert.deepEqual(claims['kubernetes.io'].pod, { name: 'web', uid: web.metadata.uid });
  assert.equal(claims.exp - claims.iat, 365 * 24 * 3600, 'the admission plugin\'s 3607 s is extended to a year');
  assert.equal(claims['kubernetes.io'].warnafter - claims.iat, 3607);
  assert.equal(bound.json.spec.expirationSeconds, 3607, 'while the answer says 3607 s, for the kubelet to renew it');
  assert.equal((await c.get('/api/v1/namespaces/default/configmaps', { token: bound.json.status.token })).status, 200);
  await c.del('/api/v1/namespaces/default/pods/web', { gracePeriodSeconds: 0 });
  assert.equal((await c.get('/api/v1/namespaces/default/configmaps', { token: bound.json.status.token })).status, 401, 'its pod is gone');
  assert.equal((await c.get('/api/v1/namespaces/default/configmaps', { token })).status, 200, 'an unbound token lives on');
});

test('TokenRequest refusals: too short, a missing account, a pod of another account, a stale uid', async () => {
  const post = (sa: string, spec: unknown) => c.post(`/api/v1/namespaces/default/serviceaccounts/${sa}/token`, { spec });
  await c.post('/api/v1/namespaces/default/pods', pod('bystander'));
  const cases: [string, unknown, number, string][] = [
    ['default', { expirationSeconds: 60 }, 422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes'],
    ['ghost', {}, 404, 'serviceaccounts "ghost" not found'],
    ['quiet', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bystander' } }, 400, 'cannot bind token for serviceaccount "quiet" to pod running with different serviceaccount name.'],
    ['default', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bystander', uid: 'old' } }, 409, 'the UID in the bound object reference (old) does not match the UID in record.'],
    ['default', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' } }, 404, 'pods "nope" not found'],
  ];
  for (const [sa, spec, code, message] of cases) {
    const r = await post(sa, spec);
    assert.equal(r.status, code, r.text);
    assert.ok(r.json.message.includes(message), r.json.message);
  }
  const disc = (await c.get('/api/v1')).json.resources.find((x: { name: string }) => x.name === 'serviceaccounts/token');
  assert.deepEqual(disc, { name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
});
