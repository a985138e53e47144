// Regression for names that are path steps: `.`, `..` (plain or percent-encoded, any case) and
// names holding '/' or '%' must never reach the parent resource. Every verb and subresource,
// watch paths and the exec/attach/portforward upgrades answer kube-apiserver's 400 naming the
// rule; afterwards namespace `t` and its ConfigMap `keep` are untouched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { TestCluster } from './harness.ts';

let c: TestCluster;
before(async () => {
  c = await TestCluster.start();
  assert.equal((await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't' } })).status, 201);
  assert.equal((await c.post('/api/v1/namespaces/t/configmaps', cm('keep'))).status, 201);
});
after(() => c.stop());

function cm(name: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } };
}

/** As sent in the path → the name the server sees and the rule it breaks. */
const NAMES: [string, string, string][] = [
  ['.', '.', "may not be '.'"],
  ['..', '..', "may not be '..'"],
  ['%2e', '.', "may not be '.'"],
  ['%2E%2e', '..', "may not be '..'"],
  ['.%2E', '..', "may not be '..'"],
  ['%2F', '/', "may not contain '/'"],
  ['a%2Fb', 'a/b', "may not contain '/'"],
  ['%25', '%', "may not contain '%'"],
  ['%2F%25', '/%', "may not contain '/';may not contain '%'"],
];

const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const JSONPATCH = 'application/json-patch+json';
const APPLY = 'application/apply-patch+yaml';

type Req = [method: string, path: string, body?: unknown, contentType?: string];

/** Every verb and subresource with N in the name position. */
function namedRequests(n: string): Req[] {
  const cmPath = `/api/v1/namespaces/t/configmaps/${n}`;
  const out: Req[] = [
    ['GET', cmPath],
    ['GET', `${cmPath}?watch=true`],
    ['GET', `/api/v1/watch/namespaces/t/configmaps/${n}`],
    ['POST', cmPath, cm('x')],
    ['PUT', cmPath, cm('keep')],
    ['PATCH', cmPath, { data: { x: 'y' } }, MERGE],
    ['PATCH', cmPath, { data: { x: 'y' } }, STRATEGIC],
    ['PATCH', cmPath, [{ op: 'add', path: '/data/x', value: 'y' }], JSONPATCH],
    ['PATCH', `${cmPath}?fieldManager=t`, 'data: {x: y}\n', APPLY],
    ['DELETE', cmPath, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }],
    ['DELETE', cmPath],
    // the namespace itself, by its own name
    ['GET', `/api/v1/namespaces/${n}`],
    ['DELETE', `/api/v1/namespaces/${n}`],
    ['PUT', `/api/v1/namespaces/${n}/finalize`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't' } }],
    ['PUT', `/api/v1/namespaces/${n}/status`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't' } }],
    ['GET', `/api/v1/nodes/${n}`],
    ['DELETE', `/api/v1/nodes/${n}/proxy`],
  ];
  for (const [method, body, type] of [['GET'], ['PUT', cm('keep')], ['PATCH', { metadata: { labels: { x: 'y' } } }, MERGE]] as [string, unknown?, string?][]) {
    out.push([method, `${cmPath}/status`, body, type]);
    out.push([method, `/apis/apps/v1/namespaces/t/deployments/${n}/scale`, body, type]);
    out.push([method, `/apis/apps/v1/namespaces/t/deployments/${n}/status`, body, type]);
  }
  for (const sub of ['exec?command=ls', 'attach', 'portforward?ports=80', 'log', 'proxy', 'status']) {
    out.push(['GET', `/api/v1/namespaces/t/pods/${n}/${sub}`]);
    out.push(['POST', `/api/v1/namespaces/t/pods/${n}/${sub}`]);
  }
  out.push(['GET', `/api/v1/namespaces/t/services/${n}/proxy`]);
  out.push(['DELETE', `/api/v1/namespaces/t/services/${n}/proxy/x`]);
  return out;
}

/** Every verb with N in the namespace position, lists and collections included. */
function namespacedRequests(n: string): Req[] {
  const base = `/api/v1/namespaces/${n}/configmaps`;
  return [
    ['GET', base],
    ['GET', `${base}?watch=1`],
    ['GET', `/api/v1/watch/namespaces/${n}/configmaps`],
    ['POST', base, cm('x')],
    ['DELETE', base],
    ['DELETE', `${base}?labelSelector=a%3Db`],
    ['GET', `${base}/keep`],
    ['PUT', `${base}/keep`, cm('keep')],
    ['PATCH', `${base}/keep`, { data: { x: 'y' } }, MERGE],
    ['DELETE', `${base}/keep`],
    ['GET', `/apis/apps/v1/namespaces/${n}/deployments/web/scale`],
    ['GET', `/api/v1/namespaces/${n}/pods/p/exec?command=ls`],
  ];
}

async function assertRefused(what: 'Name' | 'Namespace', n: string, name: string, rule: string, [method, path, body, type]: Req) {
  const a = await c.call(method, path, body === undefined ? {} : { body, contentType: type });
  const where = `${method} ${path}`;
  assert.equal(a.status, 400, `${where}: ${a.text}`);
  assert.deepEqual(
    { kind: a.json?.kind, status: a.json?.status, reason: a.json?.reason, code: a.json?.code, message: a.json?.message },
    { kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400, message: `${what} parameter invalid: ${JSON.stringify(name)}: ${rule}` },
    `${where} (${n})`,
  );
}

async function assertIntact() {
  const ns = await c.get('/api/v1/namespaces/t');
  assert.equal(ns.status, 200, ns.text);
  assert.equal(ns.json.metadata.deletionTimestamp, undefined);
  assert.equal(ns.json.status.phase, 'Active');
  const keep = await c.get('/api/v1/namespaces/t/configmaps/keep');
  assert.equal(keep.status, 200, keep.text);
  assert.deepEqual(keep.json.data, { a: 'b' });
  assert.equal(keep.json.metadata.labels, undefined);
  const list = await c.get('/api/v1/namespaces/t/configmaps');
  assert.deepEqual(list.json.items.map((i: any) => i.metadata.name), ['keep', 'kube-root-ca.crt']); // the root CA publisher's is in every namespace
}

test('a name that is not a path segment is refused by every verb and subresource, never reaching the parent', async () => {
  for (const [n, name, rule] of NAMES) {
    for (const r of namedRequests(n)) await assertRefused('Name', n, name, rule, r);
  }
  await assertIntact();
});

test('a namespace that is not a path segment is refused by every verb, lists and collections included', async () => {
  for (const [n, name, rule] of NAMES) {
    for (const r of namespacedRequests(n)) await assertRefused('Namespace', n, name, rule, r);
  }
  await assertIntact();
});

/** An exec/attach/portforward upgrade (WebSocket, as kubectl 1.30+ sends) and what the server answers instead of 101. */
function upgrade(path: string, protocol: 'websocket' | 'SPDY/3.1'): Promise<{ status: number; json: any }> {
  const { hostname, port } = new URL(c.server.url);
  const headers: Record<string, string> = { authorization: `Bearer ${c.server.token}`, connection: 'Upgrade', upgrade: protocol };
  if (protocol === 'websocket') Object.assign(headers, { 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'v5.channel.k8s.io' });
  else headers['x-stream-protocol-version'] = 'v4.channel.k8s.io';
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: protocol === 'websocket' ? 'GET' : 'POST', headers, ca: c.server.caPem });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      reject(new Error(`${path}: upgraded`));
    });
    req.on('response', async (res) => {
      let text = '';
      for await (const d of res) text += d;
      resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
    });
    req.on('error', reject);
    req.end();
  });
}

test('exec, attach and portforward upgrades refuse such names before any stream opens', async () => {
  for (const [n, name, rule] of NAMES) {
    for (const sub of ['exec?command=ls&stdout=1', 'attach?stdout=1', 'portforward?ports=80']) {
      for (const protocol of ['websocket', 'SPDY/3.1'] as const) {
        const path = `/api/v1/namespaces/t/pods/${n}/${sub}`;
        const a = await upgrade(path, protocol);
        assert.equal(a.status, 400, path);
        assert.equal(a.json.message, `Name parameter invalid: ${JSON.stringify(name)}: ${rule}`, path);
      }
      const a = await upgrade(`/api/v1/namespaces/${n}/pods/p/${sub}`, 'websocket');
      assert.equal(a.json.message, `Namespace parameter invalid: ${JSON.stringify(name)}: ${rule}`);
    }
  }
  await assertIntact();
});

test('a name in the body that is not a path segment is refused as invalid (422), on create and server-side apply', async () => {
  for (const [, name] of NAMES) {
    const a = await c.post('/api/v1/namespaces/t/configmaps', cm(name));
    assert.equal(a.status, 422, a.text);
    assert.equal(a.json.reason, 'Invalid');
    assert.deepEqual(a.json.details.causes.map((x: any) => [x.field, x.reason]), [['metadata.name', 'FieldValueInvalid']]);
    assert.match(a.json.message, /^ConfigMap ".*" is invalid: metadata\.name: Invalid value: ".*": a lowercase RFC 1123 subdomain must consist of/);
    const ns = await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    assert.equal(ns.status, 422, ns.text);
    assert.match(ns.json.message, /^Namespace ".*" is invalid: metadata\.name: Invalid value: ".*": a lowercase RFC 1123 label must consist of/);
  }
  await assertIntact();
});

test('the path is read raw: empty segments match nothing; a broken escape is a 400', async () => {
  const cases: [string, string, number, string][] = [
    ['DELETE', '/api/v1/namespaces/t/configmaps//keep', 404, 'the server could not find the requested resource'],
    ['DELETE', '/api/v1/namespaces//configmaps/keep', 404, 'the server could not find the requested resource'],
    ['DELETE', '/api/v1/namespaces/t/configmaps/%zz', 400, 'invalid URL escape "%zz"'],
    ['GET', '/api/v1/namespaces/t/configmaps/keep/..', 404, 'the server could not find the requested resource'],
  ];
  for (const [method, path, code, message] of cases) {
    const a = await c.call(method, path);
    assert.deepEqual([a.status, a.json?.message], [code, message], path);
  }
  await assertIntact();
});
