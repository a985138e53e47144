// Changes reach answers at once: the reply cache dies with every change, PTRs follow IP changes,
// deleted objects stop answering; and the agent's mirror Pod is what `get pods -n kube-system` shows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.ts';
import { ClusterZone, chain, startDnsServer, type DnsServer } from '../../src/agent/dns/index.ts';
import { isMirrorPod, mirrorPod, mirrorStatus, writeMirrorPod } from '../../src/agent/dns/mirror.ts';
import { R } from '../../src/api/resources.ts';
import { ep, fixtureRecords, pod, svc } from './fixtures.ts';
import { ask, show } from './ask.ts';

const records = fixtureRecords();
let server: DnsServer;
before(async () => {
  server = await startDnsServer({ host: '127.0.0.1', port: 0, handle: chain([new ClusterZone({ records, dnsIP: '10.96.0.10' })]), generation: () => records.generation });
});
after(() => server.close());

const line = async (name: string, type = 'A') => show(await ask(server.port, name, type)).split('\n').slice(0, 2).join(' | ');

test('a new Service answers at once although its NXDOMAIN was just served (and cached)', async () => {
  const n = 'fresh.default.svc.cluster.local';
  assert.match(await line(n), /^NXDOMAIN/);
  assert.match(await line(n), /^NXDOMAIN/);
  records.setService(svc('default', 'fresh', { clusterIP: '10.100.0.5', ports: [{ port: 80 }] }));
  assert.equal(await line(n), `NOERROR aa rd ra | ${n} 5 A 10.100.0.5`);
  assert.equal(await line('5.0.100.10.in-addr.arpa', 'PTR'), `NOERROR aa rd ra | 5.0.100.10.in-addr.arpa 5 PTR ${n}`);
  // the ClusterIP changes (delete + recreate): the old PTR goes
  records.setService(svc('default', 'fresh', { clusterIP: '10.100.0.6', ports: [{ port: 80 }] }));
  assert.equal(await line(n), `NOERROR aa rd ra | ${n} 5 A 10.100.0.6`);
  assert.equal(await line('6.0.100.10.in-addr.arpa', 'PTR'), `NOERROR aa rd ra | 6.0.100.10.in-addr.arpa 5 PTR ${n}`);
  assert.match(await line('5.0.100.10.in-addr.arpa', 'PTR'), /^SERVFAIL/); // not ours any more: past the chain's end
  records.deleteService(svc('default', 'fresh', {}));
  assert.match(await line(n), /^NXDOMAIN/);
});

test('headless: endpoints come and go; with none left the name is NXDOMAIN', async () => {
  const n = 'headless-svc.default.svc.cluster.local';
  assert.equal((await ask(server.port, n, 'A')).answers!.length, 3);
  records.setEndpoints(ep('default', 'headless-svc', [{ addresses: [{ ip: '10.244.1.95' }], ports: [{ name: 'web', port: 8080, protocol: 'TCP' }] }]));
  assert.equal(await line(n), `NOERROR aa rd ra | ${n} 5 A 10.244.1.95`);
  assert.match(await line('115.2.244.10.in-addr.arpa', 'PTR'), /^SERVFAIL/);
  records.setEndpoints(ep('default', 'headless-svc', []));
  assert.match(await line(n), /^NXDOMAIN/);
  records.deleteEndpoints(ep('default', 'headless-svc', []));
  assert.match(await line(n), /^NXDOMAIN/);
});

test('pod PTR follows the pod; an endpoint name wins over the pod name', async () => {
  records.setPod(pod('default', 'p1', '10.244.2.9'));
  assert.equal(await line('9.2.244.10.in-addr.arpa', 'PTR'), 'NOERROR aa rd ra | 9.2.244.10.in-addr.arpa 5 PTR 10-244-2-9.default.pod.cluster.local');
  records.setEndpoints(ep('default', 'httpd-svc', [{ addresses: [{ ip: '10.244.2.9' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
  assert.equal(await line('9.2.244.10.in-addr.arpa', 'PTR'), 'NOERROR aa rd ra | 9.2.244.10.in-addr.arpa 5 PTR 10-244-2-9.httpd-svc.default.svc.cluster.local');
  records.deletePod(pod('default', 'p1', '10.244.2.9'));
  records.deleteEndpoints(ep('default', 'httpd-svc', []));
  assert.match(await line('9.2.244.10.in-addr.arpa', 'PTR'), /^SERVFAIL/);
});

test('the mirror Pod: kube-system, on its node, Running with the node IP, marked as a mirror pod (which the kubelet never runs)', async () => {
  const o = { nodeName: 'mk', nodeIP: '10.244.0.2', image: 'mk-node', now: () => new Date('2026-01-02T03:04:05.678Z') };
  const p = mirrorPod(o);
  assert.equal(`${p.metadata.namespace}/${p.metadata.name} ${p.spec.nodeName} ${p.metadata.labels!['k8s-app']}`, 'kube-system/mk-agent-mk mk kube-dns');
  assert.equal(isMirrorPod(p), true);
  assert.equal(isMirrorPod({ ...p, metadata: { name: 'x' } }), false);
  const calls: string[] = [];
  let stored: KubeObject | undefined;
  const client = {
    get: async () => { if (!stored) throw Object.assign(new Error('nf'), { code: 404 }); return stored; },
    create: async (_r: unknown, ns: string | undefined, b: KubeObject) => { calls.push(`create ${ns}/${b.metadata.name}`); stored = b; return b; },
    patch: async (_r: unknown, ns: string | undefined, name: string, body: unknown, _t: 'merge', q?: { subresource?: string }) => {
      calls.push(`patch ${ns}/${name}/${q?.subresource} ${JSON.stringify((body as { status: { phase: string; podIP: string; startTime: string } }).status, ['phase', 'podIP', 'startTime'])}`);
      return stored!;
    },
  };
  await writeMirrorPod(client, R.pods, o);
  await writeMirrorPod(client, R.pods, o);
  const st = '{"phase":"Running","podIP":"10.244.0.2","startTime":"2026-01-02T03:04:05Z"}';
  assert.deepEqual(calls, ['create kube-system/mk-agent-mk', `patch kube-system/mk-agent-mk/status ${st}`, `patch kube-system/mk-agent-mk/status ${st}`]);
  assert.equal((mirrorStatus(o).conditions as Array<{ type: string; status: string }>).find((c) => c.type === 'Ready')?.status, 'True');
});
