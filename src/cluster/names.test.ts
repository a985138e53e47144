import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProfileName, networkName, nodeName, volumeName } from './names.ts';
import { sortNodes, pickNode } from './nodes.ts';
import type { ContainerSummary } from '../runtime/types.ts';

test('names of a profile\'s objects', () => {
  assert.deepEqual([1, 2, 10].map((i) => nodeName('mk', i)), ['mk', 'mk-m02', 'mk-m10']);
  assert.equal(networkName('dev'), 'mk-dev');
  assert.equal(volumeName('dev'), 'mk-dev');
  assert.equal(checkProfileName('mk-e2e-1'), 'mk-e2e-1');
  for (const bad of ['', 'Mk', 'a_b', '-a', 'a-']) assert.throws(() => checkProfileName(bad), /invalid profile name/);
});

const c = (name: string, role: string, state: ContainerSummary['state'] = 'running'): ContainerSummary => ({
  id: `id-${name}`, name, image: 'mk-node:0.1.0', labels: { 'mk.cluster': 'mk', 'mk.role': role, 'mk.node': name }, state, status: '', createdAt: new Date(0),
});

test('node containers: control plane first, pods ignored, -n picks', () => {
  const nodes = sortNodes([c('mk-m03', 'worker'), c('pod-x', 'pod'), c('mk-m02', 'worker', 'exited'), c('mk', 'control-plane')]);
  assert.deepEqual(nodes.map((n) => [n.name, n.role, n.running]), [['mk', 'control-plane', true], ['mk-m02', 'worker', false], ['mk-m03', 'worker', true]]);
  assert.equal(pickNode(nodes, 'mk').name, 'mk');
  assert.equal(pickNode(nodes, 'mk', 'mk-m03').id, 'id-mk-m03');
  assert.throws(() => pickNode(nodes, 'mk', 'mk-m09'), /node mk-m09 not found in profile "mk"/);
  assert.throws(() => pickNode([], 'dev'), (e: Error & { exitCode?: number }) => /profile "dev" not found/.test(e.message) && e.exitCode === 85);
});
