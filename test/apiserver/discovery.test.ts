import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from './harness.ts';

let c: TestCluster;
const logged: string[] = [];
before(async () => (c = await TestCluster.start({ log: (l) => logged.push(l) })));
after(() => c.stop());

test('requests without the bearer token are 401 Unauthorized', async () => {
  for (const token of [null, 'wrong']) {
    const r = await c.get('/api/v1/namespaces', { token });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  }
  const h = await c.get('/healthz', { token: null });
  assert.equal(h.status, 200);
  assert.equal(h.text, 'ok');
  await new Promise((r) => setTimeout(r, 10));
  assert.match(logged.join('\n'), /^GET \/api\/v1\/namespaces 401 \d+\.\dms$/m);
});

test('/version reports 1.33 so the kubectl dispatcher picks kubectl 1.33', async () => {
  const r = await c.get('/version?timeout=5s');
  assert.equal(r.status, 200);
  assert.equal(r.json.major, '1');
  assert.equal(r.json.minor, '33');
  assert.match(r.json.gitVersion, /^v1\.33\.\d+$/);
  assert.equal(r.json.platform, 'linux/amd64');
});

test('legacy discovery documents', async () => {
  const api = await c.get('/api');
  assert.equal(api.json.kind, 'APIVersions');
  assert.deepEqual(api.json.versions, ['v1']);
  const apis = await c.get('/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
  assert.equal(apis.status, 200);
  assert.equal(apis.json.kind, 'APIGroupList');
  // extensions (for old Ingress manifests) last, so `kubectl get ingress` means networking.k8s.io
  assert.deepEqual(apis.json.groups.map((g: any) => g.name), [
    'apps', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch', 'networking.k8s.io', 'storage.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'extensions',
  ]);
  assert.deepEqual(apis.json.groups[0].preferredVersion, { groupVersion: 'apps/v1', version: 'v1' });
  const net = apis.json.groups.find((g: any) => g.name === 'networking.k8s.io');
  assert.deepEqual(net.versions, [{ groupVersion: 'networking.k8s.io/v1', version: 'v1' }, { groupVersion: 'networking.k8s.io/v1beta1', version: 'v1beta1' }]);
  assert.deepEqual(net.preferredVersion, { groupVersion: 'networking.k8s.io/v1', version: 'v1' });
  const autoscaling = apis.json.groups.find((g: any) => g.name === 'autoscaling');
  assert.deepEqual(autoscaling.versions, [{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }]);
  assert.deepEqual(autoscaling.preferredVersion, { groupVersion: 'autoscaling/v2', version: 'v2' });
  const aggOnly = await c.get('/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
  assert.equal(aggOnly.status, 406);

  const v1 = await c.get('/api/v1');
  assert.equal(v1.json.kind, 'APIResourceList');
  assert.equal(v1.json.groupVersion, 'v1');
  const byName = new Map(v1.json.resources.map((r: any) => [r.name, r]));
  assert.deepEqual(byName.get('services'), {
    name: 'services', singularName: 'service', namespaced: true, kind: 'Service',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['svc'], categories: ['all'],
  });
  assert.deepEqual(byName.get('pods/exec'), { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] });
  assert.equal((byName.get('namespaces') as any).namespaced, false);
  const apps = await c.get('/apis/apps/v1');
  const scale = apps.json.resources.find((r: any) => r.name === 'deployments/scale');
  assert.deepEqual(scale, { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  const root = await c.get('/');
  assert.deepEqual(root.json.paths.slice(0, 4), ['/api', '/api/v1', '/apis', '/apis/apps']);
  const group = await c.get('/apis/discovery.k8s.io');
  assert.equal(group.json.kind, 'APIGroup');
});

test('openapi: v2 and v3 served, unknown paths 404 with the Kubernetes message', async () => {
  const proto = await c.get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
  assert.equal(proto.status, 200);
  assert.equal(proto.headers['content-type'], 'application/octet-stream');
  const json = await c.get('/openapi/v2', { accept: 'application/json' });
  assert.equal(json.json.swagger, '2.0');
  const v3 = await c.get('/openapi/v3');
  assert.match(v3.json.paths['api/v1'].serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
  const apps = await c.get(v3.json.paths['apis/apps/v1'].serverRelativeURL);
  assert.equal(apps.json.openapi, '3.0.0');
  assert.equal((await c.get('/openapi/v3/apis/nope/v1')).status, 404);
  const nf = await c.get('/api/v1/widgets');
  assert.equal(nf.status, 404);
  assert.equal(nf.json.message, 'the server could not find the requested resource');
  const m = await c.call('PATCH', '/api/v1/namespaces/default/services');
  assert.equal(m.status, 405);
});

test('upgrades (exec, port-forward) need the token too and answer Status errors', async () => {
  const { request } = await import('node:https');
  const ask = (path: string, token?: string) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const headers: Record<string, string> = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'v5.channel.k8s.io' };
      if (token) headers.authorization = `Bearer ${token}`;
      const req = request(c.server.url + path, { headers, ca: c.server.caPem }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('upgrade', () => reject(new Error('unexpected upgrade')));
      req.on('error', reject);
      req.end();
    });
  const noToken = await ask('/api/v1/namespaces/default/pods/p/exec?command=sh&stdout=true');
  assert.deepEqual([noToken.status, noToken.body.reason], [401, 'Unauthorized']);
  const missing = await ask('/api/v1/namespaces/default/pods/p/exec?command=sh&stdout=true', c.server.token);
  assert.deepEqual([missing.status, missing.body.message], [404, 'pods "p" not found']);
});
