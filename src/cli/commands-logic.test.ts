import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveResource } from '../api/resources.ts';
import { errors, cause } from '../api/status.ts';
import { BugError, UserError } from '../lib/errors.ts';
import { RuntimeError } from '../runtime/errors.ts';
import { FakeClient } from './fake-client.test-helper.ts';
import { bufferOutput } from '../lib/output.ts';
import { label, scale, parseLabelArgs } from './label-scale.ts';
import { deleteByArgs, deletedMessage, propagation } from './delete.ts';
import { parseTargets } from './targets.ts';
import { deploymentObject, containerNames } from './create-deployment.ts';
import { formatError, SilentExit } from './errors.ts';
import { toYaml, toJson, printObjects } from './format.ts';

const R = (n: string) => resolveResource(n)!;

function seeded(): FakeClient {
  const c = new FakeClient();
  c.objects.set('services/default/kubia', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubia', namespace: 'default', labels: { app: 'kubia' } } });
  c.objects.set('deployments/default/web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } } });
  return c;
}

async function run(fn: (c: FakeClient, io: ReturnType<typeof bufferOutput>) => Promise<void>, c = seeded()) {
  const io = bufferOutput();
  let error = '';
  try {
    await fn(c, io);
  } catch (e) {
    error = e instanceof SilentExit ? `exit ${e.exitCode}` : formatError(e);
  }
  return { ...io, error, calls: c.calls, client: c };
}

test('label', async (t) => {
  const cases: { args: string[]; overwrite?: boolean; out?: string; error?: string; patch?: string }[] = [
    { args: ['svc', 'kubia', 'tier=web'], out: 'service/kubia labeled\n', patch: '{"metadata":{"labels":{"tier":"web"}}}' },
    { args: ['svc/kubia', 'app-'], out: 'service/kubia unlabeled\n', patch: '{"metadata":{"labels":{"app":null}}}' },
    { args: ['svc', 'kubia', 'app=other'], error: "error: 'app' already has a value (kubia), and --overwrite is false" },
    { args: ['svc', 'kubia', 'app=other'], overwrite: true, out: 'service/kubia labeled\n' },
    { args: ['svc', 'kubia', 'app=kubia'], out: 'service/kubia not labeled\n' },
    { args: ['deploy', 'web', 'x=1'], out: 'deployment.apps/web labeled\n' },
    { args: ['svc', 'nope', 'x=1'], error: 'Error from server (NotFound): services "nope" not found' },
  ];
  for (const c of cases) {
    await t.test(c.args.join(' '), async () => {
      const r = await run((cl, io) => label(cl.asClient(), c.args, { overwrite: c.overwrite }, io));
      assert.equal(r.error, c.error ?? '');
      assert.equal(r.stdout, c.out ?? '');
      if (c.patch) assert.ok(r.calls.some((x) => x.includes(`merge ${c.patch}`)), r.calls.join('\n'));
    });
  }
  assert.throws(() => parseLabelArgs(['nolabel']), /at least one label update is required/);
});

test('scale sends a merge patch to the scale subresource', async () => {
  const r = await run((c, io) => scale(c.asClient(), ['deploy', 'web'], { replicas: 3 }, io));
  assert.equal(r.stdout, 'deployment.apps/web scaled\n');
  assert.deepEqual(r.calls, ['PATCH deployments/scale web merge {"spec":{"replicas":3}}']);
  const bad = await run((c, io) => scale(c.asClient(), ['svc', 'kubia'], { replicas: 3 }, io));
  assert.equal(bad.error, 'error: no scaler has been implemented for {"" "Service"}');
  const missing = await run((c, io) => scale(c.asClient(), ['deploy', 'nope'], { replicas: 3 }, io));
  assert.equal(missing.error, 'error: no objects passed to scale deployments.apps "nope" not found');
});

test('delete', async (t) => {
  const cases: { args: string[]; o?: object; out: string; err?: string; error?: string; left: number }[] = [
    { args: ['svc', 'kubia'], out: 'service "kubia" deleted\n', left: 1 },
    { args: ['deploy/web', 'svc/kubia'], out: 'deployment.apps "web" deleted\nservice "kubia" deleted\n', left: 0 },
    { args: ['svc', 'nope'], out: '', err: 'Error from server (NotFound): services "nope" not found\n', error: 'exit 1', left: 2 },
    { args: ['svc'], o: { all: true }, out: 'service "kubia" deleted\n', left: 1 },
    { args: ['deploy'], o: { labelSelector: 'app=none' }, out: 'No resources found\n', left: 2 },
    { args: ['svc'], out: '', error: 'error: resource(s) were provided, but no name was specified', left: 2 },
  ];
  for (const c of cases) {
    await t.test(c.args.join(' '), async () => {
      const r = await run((cl, io) => deleteByArgs(cl.asClient(), c.args, { pollMs: 1, ...c.o }, io));
      assert.equal(r.stdout, c.out);
      assert.equal(r.stderr, c.err ?? '');
      assert.equal(r.error, c.error ?? '');
      assert.equal(r.client.objects.size, c.left);
    });
  }
  assert.equal(propagation('foreground'), 'Foreground');
  assert.throws(() => propagation('x'), /invalid cascade value \(x\)/);
  assert.equal(deletedMessage(R('ing'), 'a'), 'ingress.networking.k8s.io "a" deleted\n');
});

test('parseTargets', () => {
  const show = (args: string[]) => parseTargets(args).map((t) => `${t.r.plural}:${t.names.join('|')}`);
  assert.deepEqual(show(['svc']), ['services:']);
  assert.deepEqual(show(['svc,deploy']), ['services:', 'deployments:']);
  // kubectl's order: discovery's, groups as kube-apiserver lists them, resources alphabetical within
  assert.deepEqual(show(['all']), ['pods:', 'services:', 'daemonsets:', 'deployments:', 'replicasets:', 'statefulsets:', 'horizontalpodautoscalers:', 'cronjobs:', 'jobs:']);
  assert.deepEqual(show(['po', 'a', 'b']), ['pods:a|b']);
  assert.deepEqual(show(['svc/a', 'deploy/b', 'svc/c']), ['services:a|c', 'deployments:b']);
  assert.deepEqual(show(['svc,ep', 'a', 'b']), ['services:a|b', 'endpoints:a|b']);
  assert.throws(() => parseTargets(['all', 'a']), (e: unknown) => e instanceof UserError && e.message === 'error: you must specify only one resource');
  assert.throws(() => parseTargets(['svc,all', 'a']), (e: unknown) => e instanceof UserError && e.message === 'error: the server doesn\'t have a resource type "all"');
  assert.throws(() => parseTargets(['sevrice']), (e: unknown) => e instanceof UserError && e.message === 'error: the server doesn\'t have a resource type "sevrice"');
});

test('create deployment builds kubectl\'s object', () => {
  assert.deepEqual(containerNames(['gcr.io/google-samples/hello-app:1.0', 'nginx@sha256:abc', 'gcr.io/x/my_app.v2:1.0', 'nginx'], () => 0), ['hello-app', 'nginx', 'my-app-v2-bbbbb', 'nginx']);
  assert.match(containerNames(['a.b'])[0]!, /^a-b-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(deploymentObject('web', { images: ['nginx:1.25'], port: 80, namespace: 'default' }), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: { app: 'web' }, name: 'web', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: {},
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx:1.25', name: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] } },
    },
    status: {},
  });
});

test('errors print as kubectl prints them', () => {
  const cases: [unknown, string][] = [
    [errors.notFound(R('svc'), 'x'), 'Error from server (NotFound): services "x" not found'],
    [errors.invalid(R('svc'), 'kubia', [cause.invalid('spec.ports[0].port', 0, 'must be between 1 and 65535, inclusive')]), 'The Service "kubia" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    [
      errors.invalid(R('svc'), 'k', [cause.required('spec.ports'), cause.required('spec.selector')]),
      'The Service "k" is invalid: \n* spec.ports: Required value\n* spec.selector: Required value',
    ],
    [errors.unauthorized(), 'error: You must be logged in to the server (Unauthorized)'],
    [new UserError('something off', 'do this'), 'error: something off\ndo this'],
    // only mk's own mistakes say so
    [new BugError('a step ran twice'), 'error: a step ran twice\n(this is a bug in mk; run again with --verbose to see where)'],
    [new TypeError("Cannot read properties of undefined (reading 'x')"), "error: Cannot read properties of undefined (reading 'x')\n(this is a bug in mk; run again with --verbose to see where)"],
    [new RuntimeError('Engine', 'listing containers: connect ECONNREFUSED /var/run/docker.sock'), 'error: listing containers: connect ECONNREFUSED /var/run/docker.sock'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'SystemError', code: 'ECONNREFUSED' }), 'error: connect ECONNREFUSED 127.0.0.1:1'],
  ];
  for (const [e, want] of cases) assert.equal(formatError(e), want);
});

test('yaml and json output like kubectl', () => {
  const obj = { kind: 'Service', apiVersion: 'v1', metadata: { name: 'k', creationTimestamp: '2024-01-02T03:04:05Z', annotations: { a: '{"x":1}\n' } }, spec: { ports: [{ port: 80, name: '80' }] } };
  assert.equal(
    toYaml(obj),
    'apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    a: |\n      {"x":1}\n  creationTimestamp: "2024-01-02T03:04:05Z"\n  name: k\nspec:\n  ports:\n  - name: "80"\n    port: 80\n',
  );
  assert.equal(toJson({ b: 1, a: [1] }), '{\n    "a": [\n        1\n    ],\n    "b": 1\n}\n');
  assert.equal(toJson({ m: '<none> & x' }), '{\n    "m": "\\u003cnone\\u003e \\u0026 x"\n}\n');
  assert.equal(printObjects([obj, { ...obj, apiVersion: 'apps/v1', kind: 'Deployment' }], 'name', false), 'service/k\ndeployment.apps/k\n');
  assert.equal(printObjects([], 'yaml', false), 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
});
