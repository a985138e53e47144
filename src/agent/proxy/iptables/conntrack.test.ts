// Which UDP flows a change makes stale, as kube-proxy's cleaner decides: flows NATed to an endpoint
// that left (by every Service address and the nodePort), and the flows of a Service port that
// got its first endpoint (they went to the agent, which refused them). Nothing for TCP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.ts';
import { entriesFor } from '../table.ts';
import { staleFlows } from './conntrack.ts';

const svc = (protocol: string, spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'default' }, spec: { clusterIP: '10.96.0.53', ports: [{ port: 53, protocol }], ...spec } });
const eps = (protocol: string, ...ips: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'dns', namespace: 'default' }, subsets: ips.length ? [{ addresses: ips.map((ip) => ({ ip })), ports: [{ port: 5353, protocol }] }] : [] });

const cases: Array<{ name: string; before: [KubeObject, KubeObject] | undefined; after: [KubeObject, KubeObject] | undefined; want: string[] }> = [
  { name: 'nothing changed', before: [svc('UDP'), eps('UDP', '10.244.1.2')], after: [svc('UDP'), eps('UDP', '10.244.1.2')], want: [] },
  { name: 'an endpoint left', before: [svc('UDP'), eps('UDP', '10.244.1.2', '10.244.2.2')], after: [svc('UDP'), eps('UDP', '10.244.2.2')], want: ['-p udp --orig-dst 10.96.0.53 --dst-nat 10.244.1.2'] },
  {
    name: 'an endpoint left a NodePort Service with an external IP',
    before: [svc('UDP', { type: 'NodePort', externalIPs: ['192.168.9.9'], ports: [{ port: 53, protocol: 'UDP', nodePort: 30053 }] }), eps('UDP', '10.244.1.2')],
    after: [svc('UDP', { type: 'NodePort', externalIPs: ['192.168.9.9'], ports: [{ port: 53, protocol: 'UDP', nodePort: 30053 }] }), eps('UDP', '10.244.1.3')],
    want: [
      '-p udp --orig-dst 10.96.0.53 --dst-nat 10.244.1.2',
      '-p udp --orig-dst 192.168.9.9 --dst-nat 10.244.1.2',
      '-p udp --orig-port-dst 30053 --dst-nat 10.244.1.2',
    ],
  },
  { name: 'the Service deleted', before: [svc('UDP'), eps('UDP', '10.244.1.2')], after: undefined, want: ['-p udp --orig-dst 10.96.0.53 --dst-nat 10.244.1.2'] },
  { name: 'the first endpoint', before: [svc('UDP'), eps('UDP')], after: [svc('UDP'), eps('UDP', '10.244.1.2')], want: ['-p udp --orig-dst 10.96.0.53'] },
  { name: 'a new Service with endpoints', before: undefined, after: [svc('UDP'), eps('UDP', '10.244.1.2')], want: ['-p udp --orig-dst 10.96.0.53'] },
  { name: 'TCP: left alone', before: [svc('TCP'), eps('TCP', '10.244.1.2', '10.244.2.2')], after: [svc('TCP'), eps('TCP', '10.244.2.2')], want: [] },
];

for (const c of cases) {
  test(`stale UDP flows: ${c.name}`, () => {
    const entries = (x?: [KubeObject, KubeObject]) => (x ? entriesFor(x[0], x[1]) : []);
    assert.deepEqual(staleFlows(entries(c.before), entries(c.after)).map((a) => a.join(' ')), c.want);
  });
}
