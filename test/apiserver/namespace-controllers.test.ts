// The per-namespace controllers the API server runs: a ServiceAccount `default` and a ConfigMap
// `kube-root-ca.crt` (the cluster CA) in every namespace — the bootstrap ones at start, a new one
// at once — put back when deleted, repaired when changed, left alone in a namespace being deleted.
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

const names = async (path: string): Promise<string[]> => (await c.get(path)).json.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`).sort();
async function until<T>(f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

test('every namespace has ServiceAccount default and ConfigMap kube-root-ca.crt from the first start', async () => {
  const nss = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
  assert.deepEqual(await names('/api/v1/serviceaccounts'), nss.map((n) => `${n}/default`));
  assert.deepEqual(await names('/api/v1/configmaps'), nss.map((n) => `${n}/kube-root-ca.crt`));
  const cm = (await c.get('/api/v1/namespaces/kube-system/configmaps/kube-root-ca.crt')).json;
  assert.deepEqual(cm.data, { 'ca.crt': c.server.caPem });
  assert.equal(cm.metadata.annotations['kubernetes.io/description'], 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.');
  const sa = (await c.get('/api/v1/namespaces/default/serviceaccounts/default')).json;
  assert.deepEqual(Object.keys(sa).sort(), ['apiVersion', 'kind', 'metadata']);
});

test('a new namespace gets both; deleted or changed, they come back; other labels stay', async () => {
  assert.equal((await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } })).status, 201);
  await until(async () => ((await c.get('/api/v1/namespaces/team/serviceaccounts/default')).status === 200 ? true : undefined));
  await until(async () => ((await c.get('/api/v1/namespaces/team/configmaps/kube-root-ca.crt')).status === 200 ? true : undefined));

  const oldUid = (await c.get('/api/v1/namespaces/team/serviceaccounts/default')).json.metadata.uid;
  assert.equal((await c.del('/api/v1/namespaces/team/serviceaccounts/default')).status, 200);
  const back = await until(async () => {
    const r = await c.get('/api/v1/namespaces/team/serviceaccounts/default');
    return r.status === 200 ? r.json : undefined;
  });
  assert.notEqual(back.metadata.uid, oldUid);

  const cm = (await c.get('/api/v1/namespaces/team/configmaps/kube-root-ca.crt')).json;
  const changed = { ...cm, metadata: { ...cm.metadata, labels: { mine: 'yes' }, annotations: {} }, data: { 'ca.crt': 'forged' } };
  assert.equal((await c.put('/api/v1/namespaces/team/configmaps/kube-root-ca.crt', changed)).status, 200);
  const repaired = await until(async () => {
    const r = (await c.get('/api/v1/namespaces/team/configmaps/kube-root-ca.crt')).json;
    return r.data?.['ca.crt'] === c.server.caPem ? r : undefined;
  });
  assert.deepEqual(repaired.metadata.labels, { mine: 'yes' });
  assert.ok(repaired.metadata.annotations['kubernetes.io/description']);
  assert.equal((await c.del('/api/v1/namespaces/team/configmaps/kube-root-ca.crt')).status, 200);
  await until(async () => ((await c.get('/api/v1/namespaces/team/configmaps/kube-root-ca.crt')).status === 200 ? true : undefined));
});

test('a deleted namespace is not filled again', async () => {
  await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
  await until(async () => ((await c.get('/api/v1/namespaces/gone/serviceaccounts/default')).status === 200 ? true : undefined));
  await c.del('/api/v1/namespaces/gone');
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual((await names('/api/v1/serviceaccounts')).filter((n) => n.startsWith('gone/')), []);
  assert.deepEqual((await names('/api/v1/configmaps')).filter((n) => n.startsWith('gone/')), []);
});
