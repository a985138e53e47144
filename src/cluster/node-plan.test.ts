import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextWorker, nodeIndex, resolveNodeName } from './node-plan.ts';

test('nextWorker: name, IP and pod CIDR of an added node', async (t) => {
  const cases = [
    { name: 'first worker of a one-node cluster', profile: 'mk', subnet: '10.244.0.0/16', taken: ['mk'], want: { index: 2, name: 'mk-m02', ip: '10.244.0.3', podCIDR: '10.244.2.0/24', role: 'worker' } },
    { name: 'after m02 and m03', profile: 'dev', subnet: '10.245.0.0/16', taken: ['dev', 'dev-m02', 'dev-m03'], want: { index: 4, name: 'dev-m04', ip: '10.245.0.5', podCIDR: '10.245.4.0/24', role: 'worker' } },
    { name: 'the gap a deleted node left is filled', profile: 'mk', subnet: '10.244.0.0/16', taken: ['mk', 'mk-m03'], want: { index: 2, name: 'mk-m02', ip: '10.244.0.3', podCIDR: '10.244.2.0/24', role: 'worker' } },
    { name: 'names of other profiles do not count', profile: 'mk', subnet: '10.244.0.0/16', taken: ['mk', 'mk-e2e-m07', 'other-m05'], want: { index: 2, name: 'mk-m02', ip: '10.244.0.3', podCIDR: '10.244.2.0/24', role: 'worker' } },
    { name: 'no nodes recorded at all', profile: 'mk', subnet: '172.16.0.0/16', taken: [], want: { index: 2, name: 'mk-m02', ip: '172.16.0.3', podCIDR: '172.16.2.0/24', role: 'worker' } },
    { name: 'two-digit numbers past 9', profile: 'mk', subnet: '10.244.0.0/16', taken: ['mk', ...[2, 3, 4, 5, 6, 7, 8, 9].map((i) => `mk-m0${i}`)], want: { index: 10, name: 'mk-m10', ip: '10.244.0.11', podCIDR: '10.244.10.0/24', role: 'worker' } },
    { name: 'a node Docker still holds counts though the profile lost it', profile: 'mk', subnet: '10.244.0.0/16', taken: ['mk', 'mk-m02', 'mk', 'mk-m03'], want: { index: 4, name: 'mk-m04', ip: '10.244.0.5', podCIDR: '10.244.4.0/24', role: 'worker' } },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(nextWorker(c.profile, c.subnet, c.taken), c.want));
  await t.test('a small subnet runs out of pod ranges', () => {
    assert.throws(() => nextWorker('mk', '10.244.0.0/22', ['mk', 'mk-m02', 'mk-m03']), /subnet 10\.244\.0\.0\/22 has no room for the pods of node 4/);
  });
});

test('nodeIndex and resolveNodeName', async (t) => {
  const idx: Array<[string, string, number | undefined]> = [
    ['mk', 'mk', 1], ['mk', 'mk-m02', 2], ['mk', 'mk-m12', 12], ['mk', 'mk-m2', undefined], ['mk', 'mk-e2e-m02', undefined], ['a.b', 'axb-m02', undefined],
  ];
  for (const [p, n, want] of idx) await t.test(`nodeIndex ${p} ${n}`, () => assert.equal(nodeIndex(p, n), want));
  const names: Array<[string, string, string]> = [['mk', 'm02', 'mk-m02'], ['mk', 'M03', 'mk-m03'], ['mk', 'mk-m02', 'mk-m02'], ['mk', 'mk', 'mk'], ['dev', 'other', 'other']];
  for (const [p, n, want] of names) await t.test(`resolveNodeName ${p} ${n}`, () => assert.equal(resolveNodeName(p, n), want));
});
