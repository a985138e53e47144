import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRuntime } from './fake-runtime.test-helper.ts';
import { addNode, deleteNode, listNodes } from './node-ops.ts';
import { saveProfile } from './profile.ts';
import { nodeLabels } from './names.ts';
import { MK_VERSION } from './version.ts';
import { nodeImageTag } from './image/node-image.ts';

function cluster(t: { after(f: () => void): void }, o: { running: boolean; recorded: boolean; image?: string }) {
  const home = mkdtempSync(join(tmpdir(), 'mk-node-ops-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = { HOME: home };
  const fake = new FakeRuntime();
  const add = (name: string, role: 'control-plane' | 'worker') => {
    const id = `id-${name}`;
    fake.containers.set(id, { id, running: o.running, ports: [], spec: { name, image: nodeImageTag('0.1.0'), labels: nodeLabels('dev', role, name) } });
  };
  add('dev', 'control-plane');
  add('dev-m02', 'worker');
  if (o.recorded) {
    saveProfile({
      name: 'dev', subnet: '10.245.0.0/16', image: o.image ?? nodeImageTag(MK_VERSION), kubernetesVersion: 'v1.33.0', createdAt: '', ports: { apiserver: 1, http: 2, https: 3 },
      nodes: [{ name: 'dev', ip: '10.245.0.2', role: 'control-plane', podCIDR: '10.245.1.0/24' }, { name: 'dev-m02', ip: '10.245.0.3', role: 'worker', podCIDR: '10.245.2.0/24' }],
    }, env);
  }
  let out = '';
  return { e: { rt: fake.asRuntime(), env, out: (s: string) => void (out += s) }, out: () => out, fake };
}

test('node list: every node container with its recorded address', async (t) => {
  const c = cluster(t, { running: true, recorded: true });
  assert.deepEqual(await listNodes('dev', c.e), [{ name: 'dev', ip: '10.245.0.2' }, { name: 'dev-m02', ip: '10.245.0.3' }]);
  await assert.rejects(listNodes('other', c.e), /Profile "other" not found\. Run "mk profile list" to view all profiles\./);
});

test('node add and delete refuse what they cannot do, changing nothing', async (t) => {
  const cases: Array<{ name: string; running: boolean; recorded: boolean; image?: string; op: (e: ReturnType<typeof cluster>['e']) => Promise<unknown>; error: RegExp }> = [
    { name: 'a control-plane node', running: true, recorded: true, op: (e) => addNode('dev', { worker: false }, e), error: /mk adds worker nodes only: a cluster has one control plane/ },
    { name: 'add to a profile that does not exist', running: true, recorded: false, op: (e) => addNode('dev', {}, e), error: /Profile "dev" not found/ },
    { name: 'add to a stopped cluster', running: false, recorded: true, op: (e) => addNode('dev', {}, e), error: /the "dev" cluster is not running/ },
    {
      name: 'add to a cluster of another mk', running: true, recorded: true, image: 'mk-node:0.0.9', op: (e) => addNode('dev', {}, e),
      error: new RegExp(`cluster dev runs node image mk-node:0\\.0\\.9, made by another mk than this one \\(${nodeImageTag(MK_VERSION).replace(/\./g, '\\.')}\\)`),
    },
    { name: 'delete on a stopped cluster', running: false, recorded: true, op: (e) => deleteNode('dev', 'm02', e), error: /the "dev" cluster is not running/ },
  ];
  for (const c of cases) {
    await t.test(c.name, async (tt) => {
      const k = cluster(tt, { running: c.running, recorded: c.recorded, image: c.image });
      await assert.rejects(c.op(k.e), c.error);
      assert.equal(k.out(), '');
      assert.equal(k.fake.calls.filter((x) => !x.startsWith('ping')).length, 0, k.fake.calls.join(', '));
    });
  }
});
