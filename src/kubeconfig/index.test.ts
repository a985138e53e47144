import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { emptyConfig, mergeCluster, removeCluster, resolveContext, kubeconfigPath, saveClusterAccess, deleteClusterAccess, readConfig } from './index.ts';
import type { KubeConfig } from './index.ts';

const access = { profile: 'mk', server: 'https://127.0.0.1:1234', caPem: 'PEM', token: 'T' };
const other: KubeConfig = {
  ...emptyConfig(),
  clusters: [{ name: 'prod', cluster: { server: 'https://prod' } }],
  users: [{ name: 'prod', user: { token: 'P' } }],
  contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'prod' } }],
  'current-context': 'prod',
};

test('mergeCluster', async (t) => {
  const cases: { name: string; in: KubeConfig; makeCurrent?: boolean; current: string; clusters: string[] }[] = [
    { name: 'empty config', in: emptyConfig(), current: 'mk', clusters: ['mk'] },
    { name: 'keeps other entries', in: other, current: 'mk', clusters: ['prod', 'mk'] },
    { name: 'not made current', in: other, makeCurrent: false, current: 'prod', clusters: ['prod', 'mk'] },
    { name: 'replaces own entry', in: mergeCluster(other, { ...access, server: 'https://old' }), current: 'mk', clusters: ['prod', 'mk'] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const out = mergeCluster(c.in, access, { makeCurrent: c.makeCurrent });
      assert.equal(out['current-context'], c.current);
      assert.deepEqual(out.clusters.map((x) => x.name), c.clusters);
      const mk = out.clusters.find((x) => x.name === 'mk')!;
      assert.equal(mk.cluster.server, 'https://127.0.0.1:1234');
      assert.equal(mk.cluster['certificate-authority-data'], Buffer.from('PEM').toString('base64'));
      assert.deepEqual(out.contexts.find((x) => x.name === 'mk')!.context, { cluster: 'mk', namespace: 'default', user: 'mk' });
      assert.deepEqual(out.users.find((x) => x.name === 'mk')!.user, { token: 'T' });
    });
  }
});

test('removeCluster', async (t) => {
  const cases = [
    { name: 'current was mk', in: mergeCluster(other, access), current: '', clusters: ['prod'] },
    { name: 'current stays prod', in: mergeCluster(other, access, { makeCurrent: false }), current: 'prod', clusters: ['prod'] },
    { name: 'absent profile', in: other, current: 'prod', clusters: ['prod'] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const out = removeCluster(c.in, 'mk');
      assert.equal(out['current-context'], c.current);
      assert.deepEqual(out.clusters.map((x) => x.name), c.clusters);
      assert.deepEqual(out.users.map((x) => x.name), c.clusters);
      assert.deepEqual(out.contexts.map((x) => x.name), c.clusters);
    });
  }
});

test('kubeconfigPath', () => {
  assert.equal(kubeconfigPath({ KUBECONFIG: '/a/b:/c/d', HOME: '/h' }), '/a/b');
  assert.equal(kubeconfigPath({ HOME: '/h' }), '/h/.kube/config');
  assert.equal(kubeconfigPath({ KUBECONFIG: '', HOME: '/h' }), '/h/.kube/config');
});

test('resolveContext', () => {
  const r = resolveContext(mergeCluster(other, access));
  assert.deepEqual(r, { name: 'mk', server: 'https://127.0.0.1:1234', caPem: 'PEM', token: 'T', insecure: false, namespace: 'default' });
  assert.equal(resolveContext(other).server, 'https://prod');
  assert.throws(() => resolveContext(emptyConfig()), /current-context is not set/);
  assert.throws(() => resolveContext(other, 'nope'), /context "nope" does not exist/);
});

test('save and delete write a 0600 file and keep foreign entries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-kc-'));
  try {
    const path = join(dir, 'sub', 'config');
    writeFileSync(join(dir, 'x'), '');
    assert.equal(saveClusterAccess(access, { path }), path);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const doc = parse(readFileSync(path, 'utf8'));
    assert.equal(doc['current-context'], 'mk');
    assert.equal(doc.kind, 'Config');
    const withOther = { ...readConfig(path), clusters: [...readConfig(path).clusters, ...other.clusters] };
    writeFileSync(path, JSON.stringify(withOther));
    deleteClusterAccess('mk', { path });
    const after = readConfig(path);
    assert.deepEqual(after.clusters.map((c) => c.name), ['prod']);
    assert.equal(after['current-context'], '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
