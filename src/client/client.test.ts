import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveResource } from '../api/resources.ts';
import { ApiError } from '../api/status.ts';
import { KubeClient, resourcePath, query } from './index.ts';
import { JsonObjectSplitter } from './json-stream.ts';

const R = (n: string) => resolveResource(n)!;

test('resourcePath', () => {
  const cases: [string, Parameters<typeof resourcePath>[1], string][] = [
    ['svc', { namespace: 'default' }, '/api/v1/namespaces/default/services'],
    ['svc', { namespace: 'default', name: 'kubia' }, '/api/v1/namespaces/default/services/kubia'],
    ['svc', {}, '/api/v1/services'],
    ['deploy', { namespace: 'x', name: 'web', subresource: 'scale' }, '/apis/apps/v1/namespaces/x/deployments/web/scale'],
    ['ing', { namespace: 'default' }, '/apis/networking.k8s.io/v1/namespaces/default/ingresses'],
    ['no', { namespace: 'default', name: 'n1' }, '/api/v1/nodes/n1'],
    ['ns', { name: 'kube-system' }, '/api/v1/namespaces/kube-system'],
  ];
  for (const [r, p, want] of cases) assert.equal(resourcePath(R(r), p), want);
});

test('resourcePath refuses names and namespaces that are not path segments, in client-go\'s words', () => {
  const cases: [Parameters<typeof resourcePath>[1], string][] = [
    [{ namespace: 't', name: '..' }, `invalid resource name "..": [may not be '..']`],
    [{ namespace: 't', name: '.' }, `invalid resource name ".": [may not be '.']`],
    [{ namespace: 't', name: 'a/%' }, `invalid resource name "a/%": [may not contain '/' may not contain '%']`],
    [{ namespace: 't', name: '' }, 'resource name may not be empty'],
    [{ namespace: '..', name: 'x' }, `invalid namespace "..": [may not be '..']`],
    [{ namespace: 'a/b' }, `invalid namespace "a/b": [may not contain '/']`],
  ];
  for (const [p, message] of cases) assert.throws(() => resourcePath(R('cm'), p), { name: 'UserError', message });
  assert.equal(resourcePath(R('cm'), { namespace: 't', name: 'a b?#' }), '/api/v1/namespaces/t/configmaps/a%20b%3F%23');
});

test('query keeps only set values', () => {
  assert.equal(query({ a: undefined, b: '' }), '');
  assert.equal(query({ labelSelector: 'app=x', limit: 500, watch: true }), '?labelSelector=app%3Dx&limit=500&watch=true');
});

test('JsonObjectSplitter across chunk boundaries', () => {
  const s = new JsonObjectSplitter();
  const text = '{"type":"ADDED","object":{"a":"}{\\"x"}}\n{"type":"DELETED","object":{}}\n';
  const got: string[] = [];
  for (const ch of text) got.push(...s.push(ch));
  assert.deepEqual(got.map((g) => JSON.parse(g).type), ['ADDED', 'DELETED']);
  assert.equal(JSON.parse(got[0]!).object.a, '}{"x');
  const s2 = new JsonObjectSplitter();
  assert.equal(s2.push(text).length, 2);
});

test('client against a fake server: requests, errors, watch', async () => {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${req.headers['content-type'] ?? ''} ${req.headers.authorization ?? ''} ${body}`);
      if (req.url!.includes('missing')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', message: 'services "missing" not found', code: 404 }));
      } else if (req.url!.includes('watch=true')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
        res.end('{"type":"DELETED","object":{"metadata":{"name":"a"}}}\n');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Service', metadata: { name: 'x' }, accept: req.headers.accept }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const c = new KubeClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'tok' }, 'dev');
  try {
    await c.get(R('svc'), undefined, 'x');
    await c.patch(R('deploy'), 'default', 'web', { spec: { replicas: 3 } }, 'merge', { subresource: 'scale' });
    await c.create(R('svc'), undefined, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } }, { dryRun: true });
    await c.delete(R('svc'), 'default', 'x', { propagationPolicy: 'Background' });
    await c.delete(R('po'), 'default', 'p', { gracePeriodSeconds: 0, dryRun: true });
    const t = await c.getTable(R('po'), { allNamespaces: true });
    assert.match((t as any).accept, /as=Table/);
    await assert.rejects(c.get(R('svc'), undefined, 'missing'), (e: unknown) => e instanceof ApiError && e.reason === 'NotFound' && e.message === 'services "missing" not found');
    const evs: string[] = [];
    for await (const ev of c.watch(R('svc'), { name: 'a', resourceVersion: '0' })) evs.push(`${ev.type} ${ev.object.metadata.name}`);
    assert.deepEqual(evs, ['ADDED a', 'DELETED a']);
    assert.deepEqual(seen.slice(0, 6), [
      'GET /api/v1/namespaces/dev/services/x  Bearer tok ',
      'PATCH /apis/apps/v1/namespaces/default/deployments/web/scale?fieldManager=mk&fieldValidation=Strict application/merge-patch+json Bearer tok {"spec":{"replicas":3}}',
      'POST /api/v1/namespaces/dev/services?dryRun=All&fieldManager=mk&fieldValidation=Strict application/json Bearer tok {"apiVersion":"v1","kind":"Service","metadata":{"name":"x"}}',
      'DELETE /api/v1/namespaces/default/services/x application/json Bearer tok {"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}',
      'DELETE /api/v1/namespaces/default/pods/p?dryRun=All application/json Bearer tok {"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0}',
      'GET /api/v1/pods?limit=500  Bearer tok ',
    ]);
    assert.match(seen[7]!, /^GET \/api\/v1\/namespaces\/dev\/services\?fieldSelector=metadata.name%3Da&resourceVersion=0&allowWatchBookmarks=true&watch=true /);
  } finally {
    c.close();
    server.close();
  }
});

test('connection refused is a user error with kubectl wording', async () => {
  const c = new KubeClient({ server: 'http://127.0.0.1:1' });
  await assert.rejects(c.get(R('svc'), 'default', 'x'), /The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port\?/);
  c.close();
});
