import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, svc, deployment } from './harness.ts';

let c: TestCluster;
before(async () => (c = await TestCluster.start()));
after(() => c.stop());

const SVCS = '/api/v1/namespaces/default/services';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

test('create sets server fields; get returns it; errors are Status bodies', async () => {
  const r = await c.post(SVCS, svc('crud-a'));
  assert.equal(r.status, 201);
  const m = r.json.metadata;
  assert.match(m.uid, /^[0-9a-f-]{36}$/);
  assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(m.resourceVersion, /^\d+$/);
  assert.equal(m.namespace, 'default');
  assert.match(r.json.spec.clusterIP, /^10\.(9[6-9]|10\d|11[01])\./);
  assert.equal(r.json.spec.type, 'ClusterIP');
  assert.deepEqual((await c.get(`${SVCS}/crud-a`)).json, r.json);

  const cases: [Promise<any>, number, string, string][] = [
    [c.get(`${SVCS}/nope`), 404, 'NotFound', 'services "nope" not found'],
    [c.post(SVCS, svc('crud-a')), 409, 'AlreadyExists', 'services "crud-a" already exists'],
    [c.post('/api/v1/namespaces/nons/services', svc('x')), 404, 'NotFound', 'namespaces "nons" not found'],
    [c.post(SVCS, { ...svc('x'), metadata: { name: 'x', namespace: 'other' } }), 400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'],
    [c.post(SVCS, deployment('x')), 400, 'BadRequest', 'the API version in the data (apps/v1) does not match the expected API version (v1)'],
    [c.post(SVCS, '{"kind":'), 400, 'BadRequest', "couldn't get version/kind; json parse error: Unexpected end of JSON input"],
    [c.post(`${SVCS}?fieldValidation=Strict`, { ...svc('x'), spec: { sepc: 1, ports: [{ port: 80 }] } }), 400, 'BadRequest', 'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.sepc"'],
    [c.get(`${SVCS}?fieldSelector=spec.type%3DNodePort`), 400, 'BadRequest', 'field label not supported: spec.type'],
    [c.get('/api/v1/namespaces/default/services/nope/status'), 404, 'NotFound', 'services "nope" not found'],
  ];
  for (const [p, code, reason, message] of cases) {
    const a = await p;
    assert.equal(a.status, code, a.text);
    assert.deepEqual({ kind: a.json.kind, status: a.json.status, reason: a.json.reason, message: a.json.message, code: a.json.code }, { kind: 'Status', status: 'Failure', reason, message, code });
  }
  const inv = await c.post(SVCS, { ...svc('bad'), spec: { ports: [{ port: 0 }] } });
  assert.equal(inv.status, 422);
  assert.equal(inv.json.reason, 'Invalid');
  assert.match(inv.json.message, /^Service "bad" is invalid: .*spec\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive/);
  assert.ok(inv.json.details.causes.some((x: any) => x.field === 'spec.ports[0].port' && x.reason === 'FieldValueInvalid'));
});

test('fieldValidation=Warn answers with a Warning header; YAML bodies are accepted', async () => {
  const r = await c.post(`${SVCS}?fieldValidation=Warn`, { ...svc('warned'), spec: { sepc: 1, ports: [{ port: 80 }] } });
  assert.equal(r.status, 201);
  assert.equal(r.headers.warning, '299 - "unknown field \\"spec.sepc\\""');
  const y = await c.post(SVCS, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: from-yaml\nspec:\n  ports:\n  - port: 8080\n', { contentType: 'application/yaml' });
  assert.equal(y.status, 201, y.text);
  assert.equal(y.json.spec.ports[0].targetPort, 8080);
});

test('generateName makes a name from Kubernetes alphabet', async () => {
  const r = await c.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-' }, data: { a: 'b' } });
  assert.equal(r.status, 201);
  assert.match(r.json.metadata.name, /^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(r.json.metadata.generateName, 'cfg-');
});

test('update: stale resourceVersion is a Conflict; generation counts spec changes; status kept', async () => {
  const created = (await c.post('/apis/apps/v1/namespaces/default/deployments', deployment('gen'))).json;
  assert.equal(created.metadata.generation, 1);
  const next = structuredClone(created);
  next.spec.replicas = 4;
  next.status = { replicas: 99 };
  const u = await c.put('/apis/apps/v1/namespaces/default/deployments/gen', next);
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.metadata.generation, 2);
  assert.deepEqual(u.json.status, {});
  assert.equal(u.json.metadata.uid, created.metadata.uid);
  const stale = await c.put('/apis/apps/v1/namespaces/default/deployments/gen', next);
  assert.equal(stale.status, 409);
  assert.equal(stale.json.message, 'Operation cannot be fulfilled on deployments.apps "gen": the object has been modified; please apply your changes to the latest version and try again');
  // status through /status: spec unchanged, generation unchanged
  const st = structuredClone(u.json);
  st.status = { replicas: 4, readyReplicas: 2 };
  st.spec.replicas = 1;
  const s = await c.put('/apis/apps/v1/namespaces/default/deployments/gen/status', st);
  assert.equal(s.status, 200, s.text);
  assert.deepEqual([s.json.spec.replicas, s.json.status.readyReplicas, s.json.metadata.generation], [4, 2, 2]);
  const wrongName = await c.put('/apis/apps/v1/namespaces/default/deployments/gen', { ...s.json, metadata: { ...s.json.metadata, name: 'other' } });
  assert.equal(wrongName.status, 400);
});

test('patch: merge, json and strategic through HTTP; unknown content type 415', async () => {
  const path = '/apis/apps/v1/namespaces/default/deployments/patched';
  await c.post('/apis/apps/v1/namespaces/default/deployments', deployment('patched'));
  let r = await c.patch(path, { metadata: { labels: { tier: 'web' } } }, 'application/merge-patch+json');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.metadata.labels.tier, 'web');
  r = await c.patch(path, [{ op: 'replace', path: '/spec/replicas', value: 3 }], 'application/json-patch+json');
  assert.equal(r.json.spec.replicas, 3);
  r = await c.patch(path, { spec: { template: { spec: { containers: [{ name: 'patched', image: 'luksa/kubia:v2' }] } } } }, 'application/strategic-merge-patch+json');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.spec.template.spec.containers.length, 1);
  assert.equal(r.json.spec.template.spec.containers[0].image, 'luksa/kubia:v2');
  assert.equal(r.json.metadata.generation, 3);
  r = await c.patch(path, { metadata: { labels: { tier: null } } }, 'application/merge-patch+json');
  assert.equal(r.json.metadata.labels.tier, undefined);
  r = await c.patch(path, {}, 'text/plain');
  assert.equal(r.status, 415);
  r = await c.patch(path, { spec: { replicas: -1 } }, 'application/merge-patch+json');
  assert.equal(r.status, 422);
  r = await c.patch(`${SVCS}/nope`, {}, 'application/merge-patch+json');
  assert.equal(r.status, 404);
});

test('scale subresource reads and writes spec.replicas as autoscaling/v1 Scale', async () => {
  await c.post('/apis/apps/v1/namespaces/default/deployments', deployment('scaled', 2));
  const path = '/apis/apps/v1/namespaces/default/deployments/scaled/scale';
  const g = await c.get(path);
  assert.equal(g.status, 200);
  assert.deepEqual([g.json.kind, g.json.apiVersion, g.json.spec, g.json.status], ['Scale', 'autoscaling/v1', { replicas: 2 }, { replicas: 0, selector: 'app=scaled' }]);
  const p = await c.patch(path, { spec: { replicas: 5 } }, 'application/merge-patch+json');
  assert.equal(p.json.spec.replicas, 5);
  const put = await c.put(path, { ...p.json, spec: { replicas: 1 } });
  assert.equal(put.json.spec.replicas, 1);
  const d = await c.get('/apis/apps/v1/namespaces/default/deployments/scaled');
  assert.deepEqual([d.json.spec.replicas, d.json.metadata.generation], [1, 3]);
  const neg = await c.patch(path, { spec: { replicas: -1 } }, 'application/merge-patch+json');
  assert.equal(neg.status, 422);
  assert.equal(neg.json.message, 'Scale.autoscaling "scaled" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
});

test('dryRun=All validates and answers but writes nothing', async () => {
  const before = c.server.store.revision;
  const r = await c.post(`${SVCS}?dryRun=All`, svc('dry'));
  assert.equal(r.status, 201);
  assert.match(r.json.spec.clusterIP, /^10\./);
  assert.equal((await c.get(`${SVCS}/dry`)).status, 404);
  const bad = await c.post(`${SVCS}?dryRun=All`, { ...svc('dry'), spec: { ports: [{ port: 0 }] } });
  assert.equal(bad.status, 422);
  await c.post(SVCS, svc('dry2'));
  const mid = c.server.store.revision;
  assert.equal((await c.del(`${SVCS}/dry2?dryRun=All`)).status, 200);
  assert.equal((await c.patch(`${SVCS}/dry2?dryRun=All`, { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json')).json.metadata.labels.a, 'b');
  assert.equal((await c.get(`${SVCS}/dry2`)).json.metadata.labels, undefined);
  assert.equal(c.server.store.revision, mid);
  assert.equal(mid, before + 1);
});

test('lists with label and field selectors; all-namespaces lists', async () => {
  await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sel' } });
  const mk = (name: string, labels: Record<string, string>, ns = 'sel') =>
    c.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } });
  await mk('a', { app: 'x', tier: 'web' });
  await mk('b', { app: 'x' });
  await mk('c', { app: 'y' });
  await mk('d', { app: 'x' }, 'default');
  const names = async (q: string, ns = '/namespaces/sel') => (await c.get(`/api/v1${ns}/configmaps?${q}`)).json.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);
  assert.deepEqual(await names('labelSelector=app%3Dx'), ['sel/a', 'sel/b']);
  assert.deepEqual(await names('labelSelector=app%3Dx,!tier'), ['sel/b']);
  assert.deepEqual(await names('labelSelector=app%20in%20(y)'), ['sel/c']);
  assert.deepEqual(await names('fieldSelector=metadata.name%3Dc'), ['sel/c']);
  assert.deepEqual(await names('labelSelector=app%3Dx', ''), ['default/d', 'sel/a', 'sel/b']);
  const list = (await c.get('/api/v1/namespaces/sel/configmaps?limit=500')).json;
  assert.equal(list.kind, 'ConfigMapList');
  assert.equal(list.apiVersion, 'v1');
  assert.match(list.metadata.resourceVersion, /^\d+$/);
});

test('Table answers carry the printer columns and PartialObjectMetadata rows', async () => {
  const t = await c.get(`${SVCS}?limit=500`, { accept: TABLE });
  assert.equal(t.status, 200);
  assert.equal(t.json.kind, 'Table');
  assert.equal(t.json.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.json.columnDefinitions.map((d: any) => d.name), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
  const row = t.json.rows.find((r: any) => r.cells[0] === 'kubernetes');
  assert.deepEqual(row.cells.slice(0, 5), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
  assert.equal(row.object.kind, 'PartialObjectMetadata');
  assert.equal(row.object.apiVersion, 'meta.k8s.io/v1');
  assert.equal(row.object.metadata.labels.component, 'apiserver');
  const one = await c.get(`${SVCS}/kubernetes?includeObject=Object`, { accept: TABLE });
  assert.equal(one.json.rows.length, 1);
  assert.equal(one.json.rows[0].object.kind, 'Service');
  const pom = await c.get(SVCS, { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' });
  assert.equal(pom.json.kind, 'PartialObjectMetadataList');
  assert.ok(pom.json.items.every((i: any) => i.kind === 'PartialObjectMetadata' && !i.spec));
});
