// `mk proxy rules` after the table: the node's proxy mode and, in iptables mode, the connections
// each endpoint chain took with its share of its Service port — seed 001's "one pod gets 98% of
// the traffic" is then read off the screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RulesSnapshot } from '../agent/proxy/rules.ts';
import { renderRules } from './proxy-rules.ts';

const base: RulesSnapshot = {
  node: 'mk',
  services: 1,
  rules: [{ service: 'default/envoy', portName: '', type: 'ClusterIP', address: '10.96.0.100:8000/TCP', kind: 'ClusterIP', endpoints: ['10.244.1.12:8910', '10.244.2.15:8910'], affinity: 'None', policy: 'Cluster' }],
  listeners: [{ address: '0.0.0.0:8000/TCP' }],
  connections: { active: 0, accepted: 0, rejected: 0 },
};
const TABLE = [
  'SERVICE         TYPE        ADDRESS                ENDPOINTS                           AFFINITY   POLICY',
  'default/envoy   ClusterIP   10.96.0.100:8000/TCP   10.244.1.12:8910,10.244.2.15:8910   None       Cluster',
];

const cases: Array<{ name: string; snap: RulesSnapshot; want: string[] }> = [
  { name: 'an agent older than the kernel mode: the table alone', snap: base, want: TABLE },
  {
    name: 'iptables mode: connections per endpoint chain and their share',
    snap: {
      ...base,
      mode: 'iptables',
      counters: [
        { service: 'default/envoy', portName: '', endpoint: '10.244.1.12:8910', chain: 'KUBE-SEP-AAAAAAAAAAAAAAAA', connections: 98 },
        { service: 'default/envoy', portName: '', endpoint: '10.244.2.15:8910', chain: 'KUBE-SEP-BBBBBBBBBBBBBBBB', connections: 2 },
      ],
    },
    want: [
      ...TABLE,
      '',
      'Mode: iptables (kube-proxy\'s rules in the node\'s nat table; see them with: mk ssh -n mk -- iptables -t nat -L KUBE-SERVICES -n)',
      '',
      'SERVICE         ENDPOINT           CHAIN                       CONNECTIONS',
      'default/envoy   10.244.1.12:8910   KUBE-SEP-AAAAAAAAAAAAAAAA   98 (98%)',
      'default/envoy   10.244.2.15:8910   KUBE-SEP-BBBBBBBBBBBBBBBB   2 (2%)',
    ],
  },
  {
    name: 'iptables mode with packets counted: a PACKETS column',
    snap: {
      ...base,
      mode: 'iptables',
      counters: [
        { service: 'default/envoy', portName: '', endpoint: '10.244.1.12:8910', chain: 'KUBE-SEP-AAAAAAAAAAAAAAAA', connections: 98, packets: 1176 },
        { service: 'default/envoy', portName: '', endpoint: '10.244.2.15:8910', chain: 'KUBE-SEP-BBBBBBBBBBBBBBBB', connections: 2 },
      ],
    },
    want: [
      ...TABLE,
      '',
      'Mode: iptables (kube-proxy\'s rules in the node\'s nat table; see them with: mk ssh -n mk -- iptables -t nat -L KUBE-SERVICES -n)',
      '',
      'SERVICE         ENDPOINT           CHAIN                       CONNECTIONS   PACKETS',
      'default/envoy   10.244.1.12:8910   KUBE-SEP-AAAAAAAAAAAAAAAA   98 (98%)      1176',
      'default/envoy   10.244.2.15:8910   KUBE-SEP-BBBBBBBBBBBBBBBB   2 (2%)        <none>',
    ],
  },
  {
    name: 'iptables mode, writing failing',
    snap: { ...base, mode: 'iptables', kernelError: 'iptables-restore --noflush: line 3 failed', counters: [] },
    want: [...TABLE, '', 'Mode: iptables (kube-proxy\'s rules in the node\'s nat table; see them with: mk ssh -n mk -- iptables -t nat -L KUBE-SERVICES -n)', 'warning: the kernel rules could not be written: iptables-restore --noflush: line 3 failed'],
  },
  {
    name: 'userspace, because iptables could not be used',
    snap: { ...base, mode: 'userspace', modeReason: 'iptables-restore: not found (the node image has no iptables: install iptables and conntrack where mk runs, e.g. apt-get install -y iptables conntrack, and make the cluster again)' },
    want: [...TABLE, '', 'Mode: userspace (iptables cannot be used on this node: iptables-restore: not found (the node image has no iptables: install iptables and conntrack where mk runs, e.g. apt-get install -y iptables conntrack, and make the cluster again))'],
  },
  { name: 'userspace by choice, nothing proxied', snap: { ...base, rules: [], mode: 'userspace' }, want: ['No Services proxied on node mk.', '', 'Mode: userspace'] },
];

for (const c of cases) {
  test(`mk proxy rules: ${c.name}`, () => {
    assert.equal(renderRules(c.snap), c.want.join('\n') + '\n');
  });
}
