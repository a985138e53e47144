import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterNet } from '../subnet.ts';
import { planNodes } from './docker.ts';
import type { StartContext } from './context.ts';

function ctx(nodes: number, existing: string[]): StartContext {
  return {
    o: { profile: 'mk', nodes } as StartContext['o'],
    rt: {} as StartContext['rt'],
    startedAt: 0,
    existing: existing.map((name) => ({ name, id: `id-${name}` }) as StartContext['existing'][number]),
    net: clusterNet('10.244.0.0/16'),
    nodes: [],
    created: { network: false, volume: false, containers: [] },
  };
}

test('planNodes: a new cluster gets nodes 1..N; a restart keeps the existing nodes by name, gaps included', () => {
  const cases: { name: string; nodes: number; existing: string[]; want: string[] }[] = [
    { name: 'new, 1 node', nodes: 1, existing: [], want: ['mk'] },
    { name: 'new, 3 nodes', nodes: 3, existing: [], want: ['mk', 'mk-m02', 'mk-m03'] },
    { name: 'restart keeps the node count it has', nodes: 1, existing: ['mk', 'mk-m02'], want: ['mk', 'mk-m02'] },
    { name: 'restart after deleting a middle worker', nodes: 1, existing: ['mk-m03', 'mk'], want: ['mk', 'mk-m03'] },
  ];
  for (const c of cases) {
    const plan = planNodes(ctx(c.nodes, c.existing));
    assert.deepEqual(plan.map((n) => n.name), c.want, c.name);
    for (const n of plan) assert.equal(n.id, c.existing.includes(n.name) ? `id-${n.name}` : undefined, c.name);
  }
  const gap = planNodes(ctx(1, ['mk', 'mk-m03']));
  assert.equal(gap[1].ip, planNodes(ctx(3, [])).at(2)!.ip, 'mk-m03 keeps the address of node 3');
});
