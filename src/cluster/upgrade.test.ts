// mk after an upgrade, against the fake engine: how nodes are launched from the executable and
// from the sources; a running cluster of another mk's node image is said to be one; a stopped one
// has its nodes rolled to this mk's image, which a failure later in the start does not undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRuntime } from './fake-runtime.test-helper.ts';
import { agentCommand, agentMounts, nodeImageOf } from './image/launch.ts';
import { loadProfile, saveProfile } from './profile.ts';
import { startCluster, startOptions } from './start.ts';
import { nodeSpec } from './steps/nodes.ts';
import { silentReporter } from './steps/runner.ts';
import type { RunningExecutable } from '../lib/executable.ts';

const exe: RunningExecutable = { path: '/usr/local/bin/mk', version: '0.2.0', build: 'abcdef012345', target: 'linux-x64', node: 'v24.21.0', applets: ['sh'] };

test('how a node runs its agent: the executable, or Node.js on the bind-mounted sources', async (t) => {
  const cases = [
    { name: 'executable', o: { version: '0.2.0', packageRoot: '/pkg', executable: exe }, image: 'mk-node:0.2.0-abcdef012345', cmd: ['/usr/local/bin/mk', 'agent'], mounts: [] },
    {
      name: 'sources', o: { version: '0.2.0', packageRoot: '/pkg' }, image: 'mk-node:0.2.0-r2', cmd: ['node', '/opt/mk/src/agent/main.ts'],
      mounts: [{ type: 'bind', source: '/pkg', target: '/opt/mk', readOnly: true }],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(nodeImageOf(c.o), c.image);
      assert.deepEqual(agentCommand(c.o), c.cmd);
      assert.deepEqual(agentMounts(c.o), c.mounts);
    });
  }
  await t.test('a node container of the executable mounts nothing of the host but the Docker socket', () => {
    const spec = nodeSpec(startOptions({ profile: 'dev', env: {}, executable: exe, dockerSocket: '/run/docker.sock' }),
      { index: 1, name: 'dev', role: 'control-plane', ip: '10.244.0.2', podCIDR: '10.244.1.0/24' }, '10.244.0.2', 'mk-node:0.2.0-abcdef012345', { apiserver: 40001, http: 40002, https: 40003 });
    assert.deepEqual(spec.cmd!.slice(0, 4), ['/usr/local/bin/mk', 'agent', '--role', 'control-plane']);
    assert.deepEqual(spec.mounts!.filter((m) => m.type === 'bind'), [{ type: 'bind', source: '/run/docker.sock', target: '/var/run/docker.sock' }]);
  });
});

function cluster(image: string, running: boolean) {
  const f = new FakeRuntime();
  const rt = f.asRuntime();
  const labels = (role: string, name: string) => ({ 'mk.cluster': 'mk', 'mk.role': role, 'mk.node': name });
  return {
    f,
    rt,
    async make() {
      for (const [role, name] of [['control-plane', 'mk'], ['worker', 'mk-m02']] as const) {
        const id = await rt.createContainer({ name, image, labels: labels(role, name) });
        if (running) await rt.startContainer(id);
      }
      await rt.ensureNetwork({ name: 'mk-mk', subnet: '10.244.0.0/16', gateway: '10.244.0.1', labels: {} });
      await rt.ensureVolume('mk-mk', {});
      f.calls.length = 0;
    },
  };
}

test('a running cluster of another mk is left as it is, and said to be another mk\'s', async () => {
  const c = cluster('mk-node:0.1.0', true);
  await c.make();
  c.f.images.add('mk-node:0.2.0-abcdef012345');
  const r = await startCluster(startOptions({ env: { HOME: '/nonexistent-mk-home' }, executable: exe }), silentReporter, c.rt);
  assert.deepEqual(r.otherVersion, { running: 'mk-node:0.1.0', mine: 'mk-node:0.2.0-abcdef012345' });
  // looked at (and its context checked), nothing created, started or removed
  assert.deepEqual(c.f.calls, ['ping', 'ping']);
});

test('a stopped cluster of another mk gets its nodes rolled to this mk\'s image; the volume stays', async () => {
  const home = mkdtempSync(join(tmpdir(), 'mk-upgrade-'));
  try {
    const env = { HOME: home };
    saveProfile({
      name: 'mk', subnet: '10.244.0.0/16', image: 'mk-node:0.1.0', kubernetesVersion: 'v1.33.0', createdAt: '', ports: { apiserver: 1, http: 2, https: 3 },
      nodes: [{ name: 'mk', ip: '10.244.0.2', role: 'control-plane', podCIDR: '10.244.1.0/24' }, { name: 'mk-m02', ip: '10.244.0.3', role: 'worker', podCIDR: '10.244.2.0/24' }],
    }, env);
    const c = cluster('mk-node:0.1.0', false);
    await c.make();
    c.f.images.add('mk-node:0.2.0-abcdef012345');
    const titles: string[] = [];
    // the fake engine runs no agent, so the start fails waiting for the API server, after the roll
    await assert.rejects(startCluster(startOptions({ env, executable: exe, waitTimeoutMs: 300 }), { ...silentReporter, start: (t) => void titles.push(t) }, c.rt), /did not become ready/);
    assert.deepEqual(c.f.calls, ['ping', 'ping', 'ensureNetwork mk-mk 10.244.0.0/16', 'ensureVolume mk-mk', 'remove mk', 'create mk', 'start mk', 'remove mk-m02', 'create mk-m02', 'start mk-m02']);
    assert.deepEqual(titles.filter((t) => t.startsWith('Rolling')), [
      'Rolling node mk (10.244.0.2) to mk-node:0.2.0-abcdef012345',
      'Rolling node mk-m02 (10.244.0.3) to mk-node:0.2.0-abcdef012345',
    ]);
    assert.deepEqual([...c.f.containers.values()].map((x) => `${x.spec.name} ${x.spec.image} ${x.spec.cmd!.slice(0, 2).join(' ')}`), [
      'mk mk-node:0.2.0-abcdef012345 /usr/local/bin/mk agent',
      'mk-m02 mk-node:0.2.0-abcdef012345 /usr/local/bin/mk agent',
    ]);
    assert.ok(c.f.volumes.has('mk-mk'), 'the store\'s volume is kept');
    assert.equal(loadProfile('mk', env)?.nodes.length, 2);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
