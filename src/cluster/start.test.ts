import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRuntime } from './fake-runtime.test-helper.ts';
import { startCluster, startOptions } from './start.ts';
import { deleteCluster, stopCluster, allProfiles } from './lifecycle.ts';
import { silentReporter } from './steps/runner.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig, saveClusterAccess } from '../kubeconfig/index.ts';
import { nodeImageTag } from './image/node-image.ts';

const opts = (o: Parameters<typeof startOptions>[0] = {}) => startOptions({ env: { HOME: '/nonexistent-mk-home' }, version: '0.1.0', packageRoot: '/pkg', ...o });

test('a failed start removes what it made, newest first', async () => {
  const f = new FakeRuntime();
  f.failStart.add('mk-m02');
  await assert.rejects(startCluster(opts({ nodes: 2 }), silentReporter, f.asRuntime()), /could not start node mk-m02: cannot start mk-m02/);
  assert.deepEqual(f.calls, [
    'ping', 'ping', 'ensureNetwork mk-mk 10.244.0.0/16', 'ensureVolume mk-mk', 'create mk', 'start mk', 'create mk-m02', 'start mk-m02',
    'remove mk-m02', 'remove mk', 'removeVolume mk-mk', 'removeNetwork mk-mk',
  ]);
  assert.equal(f.containers.size + f.networks.size + f.volumes.size, 0);
});

test('a running cluster is left as it is', async () => {
  const f = new FakeRuntime();
  const rt = f.asRuntime();
  await rt.createContainer({ name: 'mk', image: nodeImageTag('0.1.0'), labels: { 'mk.cluster': 'mk', 'mk.role': 'control-plane', 'mk.node': 'mk' } }).then((id) => rt.startContainer(id));
  f.calls.length = 0;
  const r = await startCluster(opts({ nodes: 3 }), silentReporter, rt);
  assert.deepEqual(r, { outcome: 'running', profile: 'mk', nodes: 1, apiServerPort: undefined });
  // it only looked (its API server has written no credentials: nothing to check the context against)
  assert.deepEqual(f.calls, ['ping', 'ping']);
});

test('stop takes nodes down before pods; delete removes everything of the profile only', async () => {
  const f = new FakeRuntime();
  const rt = f.asRuntime();
  const mk = async (name: string, labels: Record<string, string>) => rt.startContainer(await rt.createContainer({ name, image: 'x', labels }));
  await mk('dev', { 'mk.cluster': 'dev', 'mk.role': 'control-plane', 'mk.node': 'dev' });
  await mk('dev-m02', { 'mk.cluster': 'dev', 'mk.role': 'worker', 'mk.node': 'dev-m02' });
  await mk('dev_pod', { 'mk.cluster': 'dev', 'mk.role': 'pod', 'mk.node': 'dev-m02' });
  await mk('other', { 'mk.cluster': 'other', 'mk.role': 'control-plane', 'mk.node': 'other' });
  await rt.ensureNetwork({ name: 'mk-dev', subnet: '10.244.0.0/16', gateway: '10.244.0.1', labels: {} });
  await rt.ensureVolume('mk-dev', {});
  f.calls.length = 0;
  let out = '';
  const e = { rt, env: { HOME: '/nonexistent-mk-home' }, kubeconfig: '/nonexistent-mk-home/kc', out: (t: string) => void (out += t) };
  assert.equal(await stopCluster('dev', e), 2);
  assert.deepEqual(f.calls, ['ping', 'stop dev', 'stop dev-m02', 'stop dev_pod']);
  assert.equal(out, 'Stopping node "dev"  ...\nStopping node "dev-m02"  ...\n2 nodes stopped.\n');
  await assert.rejects(stopCluster('nope', e), /Profile "nope" not found/);
  assert.deepEqual(await allProfiles(rt, e.env), ['dev', 'other']);

  const home = mkdtempSync(join(tmpdir(), 'mk-delete-'));
  try {
    const d = { ...e, env: { HOME: home }, kubeconfig: join(home, 'kc') };
    saveClusterAccess({ profile: 'dev', server: 'https://127.0.0.1:1', caPem: 'PEM', token: 'T' }, { path: d.kubeconfig });
    saveClusterAccess({ profile: 'other', server: 'https://127.0.0.1:2', caPem: 'PEM', token: 'T' }, { path: d.kubeconfig });
    f.calls.length = 0;
    out = '';
    assert.equal(await deleteCluster('dev', d), true);
    assert.deepEqual(f.calls, ['ping', 'remove dev', 'remove dev-m02', 'remove dev_pod', 'removeNetwork mk-dev', 'removeVolume mk-dev']);
    assert.equal(out, 'Deleting "dev" in docker ...\nRemoved all traces of the "dev" cluster.\n');
    assert.deepEqual([...f.containers.values()].map((c) => c.spec.name), ['other']);
    assert.deepEqual(readConfig(d.kubeconfig).contexts.map((c) => c.name), ['other']);
    out = '';
    assert.equal(await deleteCluster('dev', d), false);
    assert.equal(out, 'Profile "dev" not found. Nothing to delete.\n');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a stopped cluster starts again in the proxy mode it was made with; another --proxy-mode is refused before anything changes', async () => {
  const home = mkdtempSync(join(tmpdir(), 'mk-proxy-mode-'));
  try {
    const { saveProfile } = await import('./profile.ts');
    saveProfile({ name: 'mk', subnet: '10.244.0.0/16', image: 'mk-node:0.1.0', kubernetesVersion: 'v1.33.0', createdAt: '', proxyMode: 'userspace', ports: { apiserver: 40001, http: 40002, https: 40003 }, nodes: [{ name: 'mk', ip: '10.244.0.2', role: 'control-plane', podCIDR: '10.244.1.0/24' }] }, { HOME: home });
    const f = new FakeRuntime();
    const rt = f.asRuntime();
    await rt.createContainer({ name: 'mk', image: 'mk-node:0.1.0', labels: { 'mk.cluster': 'mk', 'mk.role': 'control-plane', 'mk.node': 'mk' } });
    f.calls.length = 0;
    await assert.rejects(startCluster(opts({ env: { HOME: home }, proxyMode: 'iptables' }), silentReporter, rt),
      /cluster "mk" was made with --proxy-mode userspace; --proxy-mode iptables applies to a new cluster/);
    assert.deepEqual(f.calls, ['ping', 'ping']);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
