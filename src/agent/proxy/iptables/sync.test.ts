// The kernel mode's controller against a recording Netfilter: a first full write, then one
// partial write per batch of changes (only the changed Service), a failed write followed by a
// full one, UDP flows forgotten when their endpoint goes, the counters by endpoint, and the
// packet-counting rules following the endpoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.ts';
import { ProxyTable } from '../table.ts';
import type { Netfilter } from './netfilter.ts';
import { IptablesSync } from './sync.ts';

function recorder(o: { failOnce?: RegExp; saved?: string } = {}) {
  const restores: string[] = [];
  const conntrack: string[] = [];
  let fail = o.failOnce;
  const nf: Netfilter = {
    async restore(input) {
      if (fail && fail.test(input)) {
        fail = undefined;
        throw new Error('iptables-restore --noflush: line 3 failed');
      }
      restores.push(input);
    },
    async save(_table, counters) { return counters ? o.saved ?? '' : ''; },
    async conntrackDelete(args) { conntrack.push(args.join(' ')); return 1; },
    async version() { return 'iptables v1.8.9 (nf_tables)'; },
  };
  return { nf, restores, conntrack };
}

const svc = (name: string, clusterIP: string, protocol = 'TCP'): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP, ports: [{ port: 53, protocol }] } });
const eps = (name: string, ips: string[], protocol = 'TCP'): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' }, subsets: ips.length ? [{ addresses: ips.map((ip) => ({ ip })), ports: [{ port: 5353, protocol }] }] : [] });

function setup(rec: ReturnType<typeof recorder>) {
  const table = new ProxyTable();
  const sync = new IptablesSync({ table, netfilter: rec.nf, nodeName: 'node-a', retryMs: 10 });
  table.onChange = (s) => sync.changed(s);
  return { table, sync };
}

test('sync: a full write first, then each batch of changes alone', async () => {
  const rec = recorder();
  const { table, sync } = setup(rec);
  table.setEndpoints(eps('a', ['10.244.1.2']));
  table.setService(svc('a', '10.96.0.20'));
  sync.start();
  await sync.ready;
  await sync.settled();
  assert.equal(rec.restores.length, 1);
  assert.match(rec.restores[0]!, /^\*filter\n/);
  assert.match(rec.restores[0]!, /-A KUBE-SERVICES .* -d 10\.96\.0\.20 --dport 53 -j KUBE-SVC-/);

  // two Services changed in the same moment: one partial write naming only them
  table.setService(svc('b', '10.96.0.21'));
  table.setEndpoints(eps('b', ['10.244.1.3']));
  table.setService(svc('c', '10.96.0.22'));
  table.setEndpoints(eps('c', ['10.244.1.4']));
  await sync.settled();
  assert.equal(rec.restores.length, 2, rec.restores.join('\n---\n'));
  const partial = rec.restores[1]!;
  assert.match(partial, /^\*nat\n/);
  assert.doesNotMatch(partial, /10\.96\.0\.20|:KUBE-SERVICES /);
  assert.equal(partial.match(/^-I KUBE-SERVICES 1 /gm)?.length, 2);

  // a change that renders the same rules writes nothing
  table.setService({ ...svc('a', '10.96.0.20'), metadata: { name: 'a', namespace: 'default', labels: { x: 'y' } } });
  await sync.settled();
  assert.equal(rec.restores.length, 2);

  // deleted: its rules go
  table.deleteService('default/b');
  await sync.settled();
  assert.equal(rec.restores.length, 3);
  assert.match(rec.restores[2]!, /^-D KUBE-SERVICES .* -d 10\.96\.0\.21 /m);
  assert.equal(rec.restores[2]!.match(/^-X /gm)?.length, 2);
  await sync.stop();
});

test('sync: a failed write is followed by a full one, and the rules come back', async () => {
  const rec = recorder({ failOnce: /10\.96\.0\.31/ });
  const { table, sync } = setup(rec);
  table.setService(svc('a', '10.96.0.30'));
  table.setEndpoints(eps('a', ['10.244.1.2']));
  sync.start();
  await sync.ready;
  table.setService(svc('b', '10.96.0.31'));
  table.setEndpoints(eps('b', ['10.244.1.3']));
  for (let i = 0; i < 200 && rec.restores.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
  await sync.settled();
  assert.equal(rec.restores.length, 2);
  assert.match(rec.restores[1]!, /^\*filter\n/, 'the write after a failure is a full one');
  assert.deepEqual(['10.96.0.30', '10.96.0.31'].map((ip) => rec.restores[1]!.includes(`-d ${ip} --dport 53 -j KUBE-SVC-`)), [true, true]);
  assert.equal(sync.lastError, undefined);
  await sync.stop();
});

test('sync: UDP flows to a gone endpoint are forgotten; TCP ones are left to finish', async () => {
  const rec = recorder();
  const { table, sync } = setup(rec);
  table.setService(svc('dns', '10.96.0.40', 'UDP'));
  table.setEndpoints(eps('dns', ['10.244.1.2', '10.244.2.2'], 'UDP'));
  table.setService(svc('web', '10.96.0.41'));
  table.setEndpoints(eps('web', ['10.244.1.3', '10.244.2.3']));
  sync.start();
  await sync.settled();
  rec.conntrack.length = 0;
  table.setEndpoints(eps('dns', ['10.244.2.2'], 'UDP'));
  table.setEndpoints(eps('web', ['10.244.2.3']));
  await sync.settled();
  assert.deepEqual(rec.conntrack, ['-p udp --orig-dst 10.96.0.40 --dst-nat 10.244.1.2']);
  await sync.stop();
});

test('sync: connections per endpoint from the DNAT rules\' counters', async () => {
  const saved = [
    '*nat',
    '[0:0] -A KUBE-SEP-BECL57DTYVU7WYLC -s 10.244.2.1/32 -m comment --comment default/web -j KUBE-MARK-MASQ',
    '[98:5880] -A KUBE-SEP-BECL57DTYVU7WYLC -p tcp -m comment --comment default/web -m tcp -j DNAT --to-destination 10.244.2.1:8080',
    '[2:120] -A KUBE-SEP-5Q3P56IRA2PP7VYF -p tcp -m comment --comment default/web -m tcp -j DNAT --to-destination 10.244.2.2:8080',
    'COMMIT',
  ].join('\n');
  const rec = recorder({ saved });
  const { table, sync } = setup(rec);
  table.setService({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.5.5', ports: [{ port: 80 }] } });
  table.setEndpoints({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.2.1' }, { ip: '10.244.2.2' }], ports: [{ port: 8080, protocol: 'TCP' }] }] });
  sync.start();
  await sync.settled();
  assert.deepEqual((await sync.counts()).map((c) => [c.service, c.endpoint, c.connections]), [['default/web', '10.244.2.1:8080', 98], ['default/web', '10.244.2.2:8080', 2]]);
  await sync.stop();
});

test('sync: with countPackets, a counting rule per endpoint follows the endpoints, and counts carry its packets', async () => {
  const mangle = [
    '*mangle',
    ':MK-ENDPOINT-PACKETS - [0:0]',
    '[9:500] -A MK-ENDPOINT-PACKETS -p tcp -m conntrack --ctstate DNAT --ctreplsrc 10.244.2.1 --ctreplsrcport 8080 -m comment --comment "10.244.2.1:8080/tcp"',
    'COMMIT',
  ].join('\n');
  const restores: string[] = [];
  const nf: Netfilter = {
    async restore(input) { restores.push(input); },
    async save(table) { return table === 'mangle' ? mangle : ''; },
    async conntrackDelete() { return 0; },
    async version() { return 'iptables v1.8.9 (nf_tables)'; },
  };
  const table = new ProxyTable();
  const sync = new IptablesSync({ table, netfilter: nf, nodeName: 'node-a', retryMs: 10, countPackets: true });
  table.onChange = (s) => sync.changed(s);
  table.setService({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.5.5', ports: [{ port: 80 }] } });
  table.setEndpoints({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.2.1' }, { ip: '10.244.2.2' }], ports: [{ port: 8080, protocol: 'TCP' }] }] });
  sync.start();
  await sync.settled();
  const mangleWrites = () => restores.filter((r) => r.startsWith('*mangle'));
  // the chain was there (an agent restarted): its jumps and the missing rule are added, the present one kept
  assert.deepEqual(mangleWrites(), [[
    '*mangle',
    '-A POSTROUTING -j MK-ENDPOINT-PACKETS',
    '-A INPUT -j MK-ENDPOINT-PACKETS',
    '-A MK-ENDPOINT-PACKETS -p tcp -m conntrack --ctstate DNAT --ctreplsrc 10.244.2.2 --ctreplsrcport 8080 -m comment --comment 10.244.2.2:8080/tcp',
    'COMMIT', '',
  ].join('\n')]);
  assert.deepEqual((await sync.counts()).map((c) => [c.endpoint, c.connections, c.packets]), [['10.244.2.1:8080', 0, 9], ['10.244.2.2:8080', 0, undefined]]);

  restores.length = 0;
  table.setEndpoints({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.2.2' }], ports: [{ port: 8080, protocol: 'TCP' }] }] });
  await sync.settled();
  assert.deepEqual(mangleWrites(), [[
    '*mangle',
    '-D MK-ENDPOINT-PACKETS -p tcp -m conntrack --ctstate DNAT --ctreplsrc 10.244.2.1 --ctreplsrcport 8080 -m comment --comment 10.244.2.1:8080/tcp',
    'COMMIT', '',
  ].join('\n')]);
  await sync.stop();
});
