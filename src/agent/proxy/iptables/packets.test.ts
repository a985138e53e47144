// The packet-counting chain: its rules as iptables-save prints them back, what a save says of
// ours, the restore that adds and deletes single rules (the chain and its jumps made once), and
// the cleanup for the userspace mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packetKey, packetRule, packetsCleanup, packetsRestore, parsePackets, type PacketsState } from './packets.ts';

test('packets: keys and rules', () => {
  assert.equal(packetKey('10.244.1.2:8080', 'TCP'), '10.244.1.2:8080/tcp');
  assert.equal(packetRule('10.244.1.2:8080/tcp'), '-p tcp -m conntrack --ctstate DNAT --ctreplsrc 10.244.1.2 --ctreplsrcport 8080 -m comment --comment 10.244.1.2:8080/tcp');
  assert.equal(packetRule('10.244.1.3:53/udp'), '-p udp -m conntrack --ctstate DNAT --ctreplsrc 10.244.1.3 --ctreplsrcport 53 -m comment --comment 10.244.1.3:53/udp');
  assert.throws(() => packetRule('10.244.1.3:53/sctp'), /not an endpoint key/);
});

test('packets: what iptables-save -c -t mangle says of ours', () => {
  const saved = [
    '*mangle',
    ':PREROUTING ACCEPT [0:0]',
    ':MK-ENDPOINT-PACKETS - [0:0]',
    '[141:13794] -A INPUT -j MK-ENDPOINT-PACKETS',
    '[143:19630] -A POSTROUTING -j MK-ENDPOINT-PACKETS',
    '[10:761] -A MK-ENDPOINT-PACKETS -p tcp -m conntrack --ctstate DNAT --ctreplsrc 10.244.1.3 --ctreplsrcport 8080 -m comment --comment "10.244.1.3:8080/tcp"',
    '[50:3805] -A MK-ENDPOINT-PACKETS -p tcp -m conntrack --ctstate DNAT --ctreplsrc 10.244.2.2 --ctreplsrcport 8080 -m comment --comment 10.244.2.2:8080/tcp',
    '[7:100] -A POSTROUTING -j OTHER',
    'COMMIT',
  ].join('\n');
  const s = parsePackets(saved);
  assert.equal(s.chain, true);
  assert.deepEqual([...s.jumps].sort(), ['INPUT', 'POSTROUTING']);
  assert.deepEqual([...s.rules], [['10.244.1.3:8080/tcp', 10], ['10.244.2.2:8080/tcp', 50]]);
  assert.deepEqual(parsePackets('*mangle\n:INPUT ACCEPT [0:0]\nCOMMIT\n'), { chain: false, jumps: new Set(), rules: new Map() });
});

const state = (rules: string[], chain = true): PacketsState => ({ chain, jumps: new Set(chain ? ['POSTROUTING', 'INPUT'] : []), rules: new Map(rules.map((r) => [r, 5])) });
const A = '10.244.1.2:8080/tcp';
const B = '10.244.1.3:8080/tcp';

const cases: Array<{ name: string; have: PacketsState; want: string[]; restore: string[] }> = [
  {
    name: 'nothing yet: the chain, its jumps, a rule per endpoint',
    have: state([], false), want: [A, B],
    restore: ['*mangle', ':MK-ENDPOINT-PACKETS - [0:0]', '-A POSTROUTING -j MK-ENDPOINT-PACKETS', '-A INPUT -j MK-ENDPOINT-PACKETS', `-A MK-ENDPOINT-PACKETS ${packetRule(A)}`, `-A MK-ENDPOINT-PACKETS ${packetRule(B)}`, 'COMMIT', ''],
  },
  {
    name: 'an endpoint gone, one added: the others keep their rule (and count)',
    have: state([A]), want: [B],
    restore: ['*mangle', `-D MK-ENDPOINT-PACKETS ${packetRule(A)}`, `-A MK-ENDPOINT-PACKETS ${packetRule(B)}`, 'COMMIT', ''],
  },
  { name: 'no change: nothing to write', have: state([A, B]), want: [B, A], restore: [''] },
];

for (const c of cases) {
  test(`packets: ${c.name}`, () => assert.equal(packetsRestore(c.have, new Set(c.want)), c.restore.join('\n')));
}

test('packets: the cleanup removes the jumps and the chain, or nothing', () => {
  assert.equal(packetsCleanup(state([A])), ['*mangle', ':MK-ENDPOINT-PACKETS - [0:0]', '-D POSTROUTING -j MK-ENDPOINT-PACKETS', '-D INPUT -j MK-ENDPOINT-PACKETS', '-X MK-ENDPOINT-PACKETS', 'COMMIT', ''].join('\n'));
  assert.equal(packetsCleanup(state([], false)), '');
});
