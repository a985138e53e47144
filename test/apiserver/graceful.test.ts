// Graceful pod deletion through HTTP: which DELETEs mark a pod Terminating (and with which grace),
// which remove it, shortening, updates during termination, cascades, the safety net for pods
// on nodes without a kubelet, and what real kubectl shows and waits for meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster, deployment } from './harness.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

const KUBECTL = existsSync('/usr/lib/google-cloud-sdk/bin/kubectl.1.33') ? '/usr/lib/google-cloud-sdk/bin/kubectl.1.33' : 'kubectl';
const PODS = '/api/v1/namespaces/default/pods';
let c: TestCluster;
let home: string;

before(async () => {
  c = await TestCluster.start({ podSweepIntervalMs: 100 });
  home = mkdtempSync(join(tmpdir(), 'mk-graceful-'));
  saveClusterAccess({ profile: 'mk', server: c.server.url, caPem: c.server.caPem, token: c.server.token }, { path: join(home, 'config') });
  // a Ready node, so the safety net leaves its pods to the (absent) kubelet
  await c.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'mk' } });
  const node = (await c.get('/api/v1/nodes/mk')).json;
  node.status = { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] };
  assert.equal((await c.put('/api/v1/nodes/mk/status', node)).status, 200);
});
after(async () => {
  await c.stop();
  rmSync(home, { recursive: true, force: true });
});

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, ['--kubeconfig', join(home, 'config'), '--cache-dir', join(home, 'cache'), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const pod = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec: { nodeName: 'mk', containers: [{ name: 'main', image: 'busybox' }], ...spec },
});
const seconds = (ts: string) => Date.parse(ts) / 1000;

async function waitGone(path: string, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await c.get(path)).status === 404) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test('DELETE of a pod: marked Terminating with the grace period, or removed at once', async () => {
  // [name, spec, how to delete (query, body), expected grace or 'gone']
  const cases: [string, Record<string, unknown>, string, unknown, number | 'gone'][] = [
    ['g-default', {}, '', undefined, 30],
    ['g-spec', { terminationGracePeriodSeconds: 5 }, '', undefined, 5],
    ['g-body', { terminationGracePeriodSeconds: 5 }, '', { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 12 }, 12],
    ['g-query', {}, '?gracePeriodSeconds=7', undefined, 7],
    ['g-negative', {}, '?gracePeriodSeconds=-1', undefined, 1],
    ['g-zero-body', {}, '', { gracePeriodSeconds: 0 }, 'gone'],
    ['g-zero-query', {}, '?gracePeriodSeconds=0', undefined, 'gone'],
    ['g-zero-spec', { terminationGracePeriodSeconds: 0 }, '', undefined, 'gone'],
    ['g-no-node', { nodeName: undefined }, '', { gracePeriodSeconds: 30 }, 'gone'],
  ];
  for (const [name, spec, q, body, want] of cases) {
    assert.equal((await c.post(PODS, pod(name, spec))).status, 201, name);
    const before = Date.now() / 1000;
    const d = await c.del(`${PODS}/${name}${q}`, body);
    assert.equal(d.status, 200, `${name}: ${d.text}`);
    assert.equal(d.json.kind, 'Pod', name);
    const got = await c.get(`${PODS}/${name}`);
    if (want === 'gone') {
      assert.equal(got.status, 404, name);
      continue;
    }
    assert.equal(got.status, 200, name);
    assert.equal(got.json.metadata.deletionGracePeriodSeconds, want, name);
    assert.deepEqual(d.json.metadata.deletionTimestamp, got.json.metadata.deletionTimestamp, name);
    const at = seconds(got.json.metadata.deletionTimestamp);
    assert.ok(at >= Math.floor(before) + want && at <= Math.ceil(Date.now() / 1000) + want, `${name}: ${got.json.metadata.deletionTimestamp}`);
  }
  const bad = await c.del(`${PODS}/g-default?gracePeriodSeconds=soon`);
  assert.equal(bad.status, 400);
});

test('a finished pod is removed at once; a dry run marks nothing', async () => {
  await c.post(PODS, pod('g-done'));
  const p = (await c.get(`${PODS}/g-done`)).json;
  p.status = { phase: 'Succeeded' };
  await c.put(`${PODS}/g-done/status`, p);
  assert.equal((await c.del(`${PODS}/g-done`)).status, 200);
  assert.equal((await c.get(`${PODS}/g-done`)).status, 404);

  await c.post(PODS, pod('g-dry'));
  const d = await c.del(`${PODS}/g-dry?dryRun=All`);
  assert.equal(d.json.metadata.deletionGracePeriodSeconds, 30);
  assert.equal((await c.get(`${PODS}/g-dry`)).json.metadata.deletionTimestamp, undefined);
});

test('a later DELETE may only shorten the grace period; grace 0 removes', async () => {
  await c.post(PODS, pod('g-short'));
  const first = (await c.del(`${PODS}/g-short`)).json.metadata;
  const started = seconds(first.deletionTimestamp) - 30;
  // [gracePeriodSeconds, expected grace afterwards]
  const steps: [number | undefined, number][] = [[40, 30], [30, 30], [undefined, 30], [10, 10], [20, 10], [3, 3]];
  for (const [g, want] of steps) {
    const before = (await c.get(`${PODS}/g-short`)).json.metadata;
    const d = await c.del(`${PODS}/g-short`, g === undefined ? undefined : { gracePeriodSeconds: g });
    assert.equal(d.status, 200);
    const now = (await c.get(`${PODS}/g-short`)).json.metadata;
    assert.equal(now.deletionGracePeriodSeconds, want, `grace ${g}`);
    assert.equal(seconds(now.deletionTimestamp), started + want, `grace ${g}`);
    if (want === before.deletionGracePeriodSeconds) assert.equal(now.resourceVersion, before.resourceVersion, `grace ${g} changes nothing`);
  }
  assert.equal((await c.del(`${PODS}/g-short`, { gracePeriodSeconds: 0 })).status, 200);
  assert.equal((await c.get(`${PODS}/g-short`)).status, 404);
});

test('updates of a terminating pod keep it and its grace (the kubelet writes status meanwhile)', async () => {
  await c.post(PODS, pod('g-upd'));
  await c.del(`${PODS}/g-upd`);
  const p = (await c.get(`${PODS}/g-upd`)).json;
  p.status = { ...p.status, phase: 'Running' };
  assert.equal((await c.put(`${PODS}/g-upd/status`, p)).status, 200);
  const q = (await c.get(`${PODS}/g-upd`)).json;
  delete q.metadata.deletionGracePeriodSeconds;
  q.metadata.labels = { x: 'y' };
  assert.equal((await c.put(`${PODS}/g-upd`, q)).status, 200);
  const got = (await c.get(`${PODS}/g-upd`)).json;
  assert.equal(got.metadata.deletionGracePeriodSeconds, 30);
  assert.equal(got.metadata.labels.x, 'y');
  // a pod held by a finalizer: grace 0 marks it, removing the finalizer removes it
  await c.post(PODS, pod('g-fin', {}, { finalizers: ['example.com/hold'] }));
  assert.equal((await c.del(`${PODS}/g-fin`)).json.metadata.deletionGracePeriodSeconds, 30);
  assert.equal((await c.del(`${PODS}/g-fin?gracePeriodSeconds=0`)).status, 202);
  const f = (await c.get(`${PODS}/g-fin`)).json;
  assert.equal(f.metadata.deletionGracePeriodSeconds, 0);
  f.metadata.finalizers = [];
  assert.equal((await c.put(`${PODS}/g-fin`, f)).status, 200);
  assert.equal((await c.get(`${PODS}/g-fin`)).status, 404);
});

test('cascades delete pods gracefully: background (garbage collector) and foreground', async () => {
  for (const policy of ['Background', 'Foreground']) {
    const name = `g-${policy.toLowerCase()}`;
    const owner = (await c.post('/apis/apps/v1/namespaces/default/deployments', deployment(name))).json;
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
    await c.post(PODS, pod(`${name}-pod`, { terminationGracePeriodSeconds: 9 }, { ownerReferences: [ref] }));
    await c.del(`/apis/apps/v1/namespaces/default/deployments/${name}`, { propagationPolicy: policy });
    assert.ok(await waitGone(`/apis/apps/v1/namespaces/default/deployments/${name}`), policy);
    let p: any;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(p = (await c.get(`${PODS}/${name}-pod`)).json).metadata?.deletionTimestamp) await new Promise((r) => setTimeout(r, 20));
    assert.equal(p.metadata.deletionGracePeriodSeconds, 9, policy);
    await c.del(`${PODS}/${name}-pod?gracePeriodSeconds=0`);
  }
});

test('safety net: a terminating pod whose node has no kubelet goes once its grace has passed', async () => {
  await c.post(PODS, pod('g-ghost', { nodeName: 'no-such-node', terminationGracePeriodSeconds: 1 }));
  assert.equal((await c.del(`${PODS}/g-ghost`)).status, 200);
  assert.ok(await waitGone(`${PODS}/g-ghost`));
});

test('kubectl shows Terminating meanwhile, and kubectl delete ends once the pod is gone', async () => {
  await c.post(PODS, pod('g-kubectl'));
  await c.del(`${PODS}/g-kubectl`);
  const got = await kubectl(['get', 'pod', 'g-kubectl']);
  assert.equal(got.code, 0, got.stderr);
  assert.match(got.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\ng-kubectl\s+0\/1\s+Terminating\s+0\s+\S+\n$/);
  await c.del(`${PODS}/g-kubectl?gracePeriodSeconds=0`);

  await c.post(PODS, pod('g-wait', { nodeName: 'no-such-node', terminationGracePeriodSeconds: 1 }));
  const del = await kubectl(['delete', 'pod', 'g-wait']);
  assert.equal(del.code, 0, del.stderr);
  assert.equal(del.stdout, 'pod "g-wait" deleted\n');
  assert.equal((await c.get(`${PODS}/g-wait`)).status, 404);
});
