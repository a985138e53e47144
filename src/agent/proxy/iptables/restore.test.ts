// The partial update: from the rules of some Services before a change to after it, only what
// changed — chains rewritten or deleted, dispatch rules deleted or inserted one by one — and
// nothing at all when nothing changed. Also what a first sync finds on the node (our jumps,
// leftover chains of an earlier run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.ts';
import { entriesFor } from '../table.ts';
import { renderService, type PortRules } from './render.ts';
import { cleanupRestore, fullRestore, parseExisting, partialRestore } from './restore.ts';

const ctx = { nodeName: 'node-a', podCIDR: '10.244.1.0/24' };
const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: '10.96.5.5', ports: [{ port: 80 }], ...spec } });
const eps = (...ips: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: ips.length ? [{ addresses: ips.map((ip) => ({ ip, nodeName: 'node-b' })), ports: [{ port: 8080, protocol: 'TCP' }] }] : [] });
const render = (s: KubeObject, e?: KubeObject): PortRules[] => renderService(entriesFor(s, e), ctx);

// KUBE-SVC-… of default/web (port unnamed, TCP) and the KUBE-SEP-… of its endpoints
const SVC = 'KUBE-SVC-LOLE4ISW44XBNF3G';
const SEP1 = 'KUBE-SEP-BECL57DTYVU7WYLC'; // 10.244.2.1:8080
const SEP2 = 'KUBE-SEP-5Q3P56IRA2PP7VYF'; // 10.244.2.2:8080
const SVC_RULE = `-m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.5.5 --dport 80 -j ${SVC}`;

const cases: Array<{ name: string; before: PortRules[]; after: PortRules[]; want: string[] }> = [
  { name: 'nothing changed', before: render(svc({}), eps('10.244.2.1')), after: render(svc({}), eps('10.244.2.1')), want: [] },
  {
    name: 'a new Service: its chains, and its rule inserted first in KUBE-SERVICES',
    before: [],
    after: render(svc({}), eps('10.244.2.1')),
    want: [
      `:${SEP1} - [0:0]`, `:${SVC} - [0:0]`,
      `-I KUBE-SERVICES 1 ${SVC_RULE}`,
      `-A ${SVC} -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.5.5 --dport 80 -j KUBE-MARK-MASQ`,
      `-A ${SVC} -m comment --comment "default/web -> 10.244.2.1:8080" -j ${SEP1}`,
      `-A ${SEP1} -m comment --comment default/web -s 10.244.2.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1} -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.2.1:8080`,
    ],
  },
  {
    name: 'a second endpoint: the Service chain rewritten, one endpoint chain added, the dispatch rule and the first endpoint\'s chain untouched',
    before: render(svc({}), eps('10.244.2.1')),
    after: render(svc({}), eps('10.244.2.1', '10.244.2.2')),
    want: [
      `:${SEP2} - [0:0]`, `:${SVC} - [0:0]`,
      `-A ${SVC} -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.5.5 --dport 80 -j KUBE-MARK-MASQ`,
      `-A ${SVC} -m comment --comment "default/web -> 10.244.2.1:8080" -m statistic --mode random --probability 0.5000000000 -j ${SEP1}`,
      `-A ${SVC} -m comment --comment "default/web -> 10.244.2.2:8080" -j ${SEP2}`,
      `-A ${SEP2} -m comment --comment default/web -s 10.244.2.2 -j KUBE-MARK-MASQ`,
      `-A ${SEP2} -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.2.2:8080`,
    ],
  },
  {
    name: 'an endpoint gone: its chain flushed and deleted after the Service chain stops naming it',
    before: render(svc({}), eps('10.244.2.1', '10.244.2.2')),
    after: render(svc({}), eps('10.244.2.2')),
    want: [
      `:${SEP1} - [0:0]`, `:${SVC} - [0:0]`,
      `-A ${SVC} -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.5.5 --dport 80 -j KUBE-MARK-MASQ`,
      `-A ${SVC} -m comment --comment "default/web -> 10.244.2.2:8080" -j ${SEP2}`,
      `-X ${SEP1}`,
    ],
  },
  {
    name: 'no endpoints left: the dispatch rule deleted (the agent refuses at once), every chain deleted',
    before: render(svc({}), eps('10.244.2.1')),
    after: render(svc({}), eps()),
    want: [`:${SEP1} - [0:0]`, `:${SVC} - [0:0]`, `-D KUBE-SERVICES ${SVC_RULE}`, `-X ${SVC}`, `-X ${SEP1}`],
  },
  {
    name: 'the Service deleted',
    before: render(svc({}), eps('10.244.2.1')),
    after: [],
    want: [`:${SEP1} - [0:0]`, `:${SVC} - [0:0]`, `-D KUBE-SERVICES ${SVC_RULE}`, `-X ${SVC}`, `-X ${SEP1}`],
  },
  {
    name: 'made a NodePort: a KUBE-NODEPORTS rule appended and the external chain written',
    before: render(svc({}), eps('10.244.2.1')),
    after: render(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), eps('10.244.2.1')),
    want: [
      ':KUBE-EXT-LOLE4ISW44XBNF3G - [0:0]',
      '-A KUBE-NODEPORTS -m comment --comment default/web -m tcp -p tcp --dport 30080 -j KUBE-EXT-LOLE4ISW44XBNF3G',
      '-A KUBE-EXT-LOLE4ISW44XBNF3G -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ',
      `-A KUBE-EXT-LOLE4ISW44XBNF3G -j ${SVC}`,
    ],
  },
];

for (const c of cases) {
  test(`partial update: ${c.name}`, () => {
    const got = partialRestore(c.before, c.after);
    assert.equal(got, c.want.length ? ['*nat', ...c.want, 'COMMIT', ''].join('\n') : '');
  });
}

test('first sync: jumps added only where missing, chains of an earlier run deleted, ours kept', () => {
  const nat = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':DOCKER_OUTPUT - [0:0]',
    ':KUBE-SERVICES - [0:0]',
    `:${SVC} - [0:0]`,
    ':KUBE-SEP-OLDOLDOLDOLDOLDO - [0:0]',
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT',
    'COMMIT',
  ].join('\n');
  const existing = parseExisting(nat, '*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n');
  assert.deepEqual([...existing.jumps], ['nat PREROUTING']);
  const text = fullRestore(render(svc({}), eps('10.244.2.1')), existing);
  const lines = text.split('\n');
  assert.ok(lines.includes(':KUBE-SEP-OLDOLDOLDOLDOLDO - [0:0]') && lines.includes('-X KUBE-SEP-OLDOLDOLDOLDOLDO'), text);
  assert.ok(!lines.includes(`-X ${SVC}`) && !lines.includes('-X DOCKER_OUTPUT'), text);
  assert.deepEqual(lines.filter((l) => l.startsWith('-I ')), [
    '-I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
    '-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
  ]);
  // the nodeports jump stays the last rule of KUBE-SERVICES
  assert.match(lines.filter((l) => l.startsWith('-A KUBE-SERVICES ')).at(-1)!, /-j KUBE-NODEPORTS$/);
});

test('userspace mode on a node an earlier agent programmed: our jumps and chains go, nothing else', () => {
  const existing = parseExisting([
    '*nat', ':PREROUTING ACCEPT [0:0]', ':DOCKER_OUTPUT - [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]', `:${SVC} - [0:0]`,
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', 'COMMIT',
  ].join('\n'), '*filter\n:KUBE-FORWARD - [0:0]\n-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD\nCOMMIT\n');
  assert.equal(cleanupRestore(existing), [
    '*filter', ':KUBE-FORWARD - [0:0]', '-D FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD', '-X KUBE-FORWARD', 'COMMIT',
    '*nat', ':KUBE-MARK-MASQ - [0:0]', ':KUBE-SERVICES - [0:0]', `:${SVC} - [0:0]`,
    '-D PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-X KUBE-MARK-MASQ', '-X KUBE-SERVICES', `-X ${SVC}`, 'COMMIT', '',
  ].join('\n'));
  assert.equal(cleanupRestore(parseExisting('*nat\n:DOCKER_OUTPUT - [0:0]\nCOMMIT\n', '')), '');
});
