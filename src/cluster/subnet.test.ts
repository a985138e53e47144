import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseSubnet, clusterNet, nodeIP, overlaps, podCIDR } from './subnet.ts';

test('chooseSubnet', async (t) => {
  const cases: { name: string; used: string[]; requested?: string; want?: string; error?: RegExp }[] = [
    { name: 'default when free', used: ['172.17.0.0/16', 'fd00::/64'], want: '10.244.0.0/16' },
    { name: 'next 10.x when 10.244 is taken', used: ['10.244.0.0/16'], want: '10.245.0.0/16' },
    { name: 'a /24 inside the default clashes too', used: ['10.244.7.0/24', '10.245.0.0/16'], want: '10.246.0.0/16' },
    { name: 'a covering /8 pushes to 172.16', used: ['10.0.0.0/8'], want: '172.16.0.0/16' },
    { name: 'everything taken', used: ['10.0.0.0/8', '172.16.0.0/12'], error: /no free private \/16/ },
    { name: 'requested and free', used: ['10.244.0.0/16'], requested: '192.168.0.0/16', want: '192.168.0.0/16' },
    { name: 'requested is normalised', used: [], requested: '10.50.3.4/16', want: '10.50.0.0/16' },
    { name: 'requested overlaps', used: ['192.168.5.0/24'], requested: '192.168.0.0/16', error: /overlaps the Docker network range 192.168.5.0\/24/ },
    { name: 'requested too small', used: [], requested: '10.1.1.0/24', error: /between \/8 and \/22/ },
    { name: 'requested malformed', used: [], requested: '10.1.1/16', error: /invalid subnet/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      if (c.error) assert.throws(() => chooseSubnet(c.used, c.requested), c.error);
      else assert.equal(chooseSubnet(c.used, c.requested).subnet, c.want);
    });
  }
});

test('layout inside the network', () => {
  const net = clusterNet('10.244.0.0/16');
  assert.deepEqual(net, { subnet: '10.244.0.0/16', gateway: '10.244.0.1', ipRange: '10.244.0.0/24' });
  assert.deepEqual([1, 2, 3].map((i) => nodeIP(net, i)), ['10.244.0.2', '10.244.0.3', '10.244.0.4']);
  assert.deepEqual([1, 2].map((i) => podCIDR(net, i)), ['10.244.1.0/24', '10.244.2.0/24']);
  assert.throws(() => podCIDR(clusterNet('10.8.0.0/22'), 4), /no room for the pods of node 4/);
});

test('overlaps', () => {
  assert.equal(overlaps('10.0.0.0/8', '10.244.0.0/16'), true);
  assert.equal(overlaps('10.244.0.0/16', '10.245.0.0/16'), false);
  assert.equal(overlaps('fd00::/64', '10.244.0.0/16'), false);
});
