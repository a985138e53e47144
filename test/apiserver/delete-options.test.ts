// DeleteOptions in the body, as kubectl sends them: `--dry-run=server` (`"dryRun":["All"]`)
// deletes nothing, for one object, a namespace and a collection; malformed options are a 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from './harness.ts';

let c: TestCluster;
before(async () => {
  c = await TestCluster.start();
  assert.equal((await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'd' } })).status, 201);
  for (const name of ['keep', 'also']) assert.equal((await c.post('/api/v1/namespaces/d/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } })).status, 201);
});
after(() => c.stop());

const DRY = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', dryRun: ['All'] };

/** the namespace's ConfigMaps (kube-root-ca.crt is in every namespace, as in Kubernetes) */
async function names(): Promise<string[]> {
  return (await c.get('/api/v1/namespaces/d/configmaps')).json.items.map((i: any) => i.metadata.name);
}

test('a dry-run delete in the body answers as a delete would and removes nothing', async () => {
  const one = await c.del('/api/v1/namespaces/d/configmaps/keep', DRY);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.status, 'Success');
  const coll = await c.del('/api/v1/namespaces/d/configmaps', DRY);
  assert.equal(coll.status, 200, coll.text);
  assert.deepEqual(coll.json.items.map((i: any) => i.metadata.name), ['also', 'keep', 'kube-root-ca.crt']);
  const ns = await c.del('/api/v1/namespaces/d', DRY);
  assert.equal(ns.status, 200, ns.text);
  assert.equal(ns.json.status.phase, 'Terminating');
  assert.deepEqual(await names(), ['also', 'keep', 'kube-root-ca.crt']);
  const now = await c.get('/api/v1/namespaces/d');
  assert.equal(now.json.status.phase, 'Active');
});

test('malformed DeleteOptions are a 400 naming the problem, and delete nothing', async () => {
  const cases: [unknown, string][] = [
    [{ ...DRY, dryRun: ['Some'] }, 'Invalid dry run value: Some; valid values are "All"'],
    [{ dryRun: 'All' }, 'json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string'],
    [{ gracePeriodSeconds: 'soon' }, 'json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64'],
    [{ preconditions: [null] }, 'json: cannot unmarshal array into Go struct field DeleteOptions.preconditions of type v1.Preconditions'],
    [{ propagationPolicy: 'Later' }, 'propagationPolicy: Unsupported value: "Later": supported values: "Foreground", "Background", "Orphan"'],
    [[null], 'json: cannot unmarshal array into Go value of type v1.DeleteOptions'],
    ['null', 'json: cannot unmarshal null into Go value of type v1.DeleteOptions'],
  ];
  for (const [body, message] of cases) {
    for (const path of ['/api/v1/namespaces/d/configmaps/keep', '/api/v1/namespaces/d/configmaps']) {
      const a = await c.del(path, body);
      assert.deepEqual([a.status, a.json?.reason, a.json?.message], [400, 'BadRequest', message], `${path} ${JSON.stringify(body)}`);
    }
  }
  const q = await c.del('/api/v1/namespaces/d/configmaps/keep?gracePeriodSeconds=abc');
  assert.deepEqual([q.status, q.json.message], [400, 'strconv.ParseInt: parsing "abc": invalid syntax']);
  assert.deepEqual(await names(), ['also', 'keep', 'kube-root-ca.crt']);
});
