import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../api/status.ts';
import { resolveResource } from '../api/resources.ts';
import { FakeClient } from './fake-client.test-helper.ts';
import { bufferOutput } from '../lib/output.ts';
import { applyManifests, withLastApplied, LAST_APPLIED } from './apply.ts';
import { loadManifests, defaultNamespaces } from './manifests.ts';
import { formatError, SilentExit } from './errors.ts';

const fixture = 'test/fixtures/hello-world.yaml';

function docs() {
  const d = loadManifests([fixture]);
  defaultNamespaces(d, 'default', false);
  return d;
}

async function run(c: FakeClient, mode: 'apply' | 'create') {
  const io = bufferOutput();
  let error = '';
  try {
    await applyManifests(c.asClient(), docs(), mode, io);
  } catch (e) {
    error = e instanceof SilentExit ? `exit ${e.exitCode}` : formatError(e);
  }
  return { ...io, error };
}

test('create writes every document after a dry run of all', async () => {
  const c = new FakeClient();
  const r = await run(c, 'create');
  assert.equal(r.stdout, 'deployment.apps/hello-world created\nservice/hello-world created\ningress.networking.k8s.io/hello-world created\n');
  assert.deepEqual(c.calls, [
    'POST deployments hello-world dryRun',
    'POST services hello-world dryRun',
    'POST ingresses hello-world dryRun',
    'POST deployments hello-world',
    'POST services hello-world',
    'POST ingresses hello-world',
  ]);
  const again = await run(c, 'create');
  assert.equal(again.stdout, '');
  assert.equal(again.error, `error: ${fixture} (document 1, Deployment "hello-world"): deployments.apps "hello-world" already exists\nnothing was changed`);
});

test('a failing document stops everything before any write', async () => {
  const c = new FakeClient();
  c.refuse.set('hello-world', errors.badRequest('Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.sepc"'));
  for (const mode of ['apply', 'create'] as const) {
    const r = await run(c, mode);
    assert.equal(r.stdout, '');
    assert.match(r.error, /^error: test\/fixtures\/hello-world.yaml \(document 1, Deployment "hello-world"\): .*unknown field "spec.sepc"/);
    assert.equal(c.objects.size, 0);
    assert.ok(c.calls.every((x) => !x.startsWith('POST') || x.endsWith('dryRun')));
  }
});

test('apply: created, then unchanged, then configured', async () => {
  const c = new FakeClient();
  assert.equal((await run(c, 'apply')).stdout, 'deployment.apps/hello-world created\nservice/hello-world created\ningress.networking.k8s.io/hello-world created\n');
  const stored = c.objects.get('services/default/hello-world')!;
  const last = stored.metadata.annotations![LAST_APPLIED]!;
  assert.ok(last.endsWith('}\n'));
  assert.ok(last.startsWith('{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"labels":{"app":"hello-world"},"name":"hello-world","namespace":"default"},"spec":'));
  assert.equal((await run(c, 'apply')).stdout, 'deployment.apps/hello-world unchanged\nservice/hello-world unchanged\ningress.networking.k8s.io/hello-world unchanged\n');
  const svc = c.objects.get('services/default/hello-world')!;
  svc.metadata.annotations![LAST_APPLIED] = last.replace('"port":80', '"port":81');
  c.calls.length = 0;
  assert.equal((await run(c, 'apply')).stdout, 'deployment.apps/hello-world unchanged\nservice/hello-world configured\ningress.networking.k8s.io/hello-world unchanged\n');
  assert.equal(c.calls.filter((x) => x.startsWith('PATCH services')).length, 2);
  assert.ok(c.calls.some((x) => x.startsWith('PATCH services hello-world strategic') && x.endsWith('dryRun')));
});

test('apply over an object created without apply warns as kubectl does', async () => {
  const c = new FakeClient();
  await run(c, 'create');
  const r = await run(c, 'apply');
  assert.equal(r.stdout, 'deployment.apps/hello-world configured\nservice/hello-world configured\ningress.networking.k8s.io/hello-world configured\n');
  assert.match(r.stderr, /^Warning: resource deployments\.apps\/hello-world is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation which is required by kubectl apply\. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply\. The missing annotation will be patched automatically\.\nWarning: resource services\/hello-world is missing/);
});

test('withLastApplied drops an old annotation before serializing', () => {
  const o = withLastApplied({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { [LAST_APPLIED]: 'old', keep: 'y' } }, data: { b: '1', a: '2' } });
  assert.equal(o.metadata.annotations![LAST_APPLIED], '{"apiVersion":"v1","data":{"a":"2","b":"1"},"kind":"ConfigMap","metadata":{"annotations":{"keep":"y"},"name":"c"}}\n');
  assert.equal(o.metadata.annotations!.keep, 'y');
  void resolveResource;
});
