// The node's DNS against the in-process API server with the controllers: the bootstrap kube-dns
// Service (as `get svc -n kube-system` prints it), the agent's mirror Pod making its Endpoints,
// PTR of 10.96.0.10, and a Service created through the API answering by name right after.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNodeDns, type NodeDns } from '../../src/agent/dns/node.ts';
import { R } from '../../src/api/resources.ts';
import { harness, until, type Harness } from '../controllers/harness.ts';
import { ask, show } from './ask.ts';

const services = R.services;

let h: Harness;
let dns: NodeDns;
let port: number;
const errors: unknown[] = [];

before(async () => {
  h = await harness();
  dns = startNodeDns({ client: h.client, nodeName: 'mk', nodeIP: '10.244.0.2', dnsIP: '127.0.0.1', port: 0, log: () => {}, onError: (e) => errors.push(e) });
  port = (await dns.running).server.port;
});
after(async () => { await dns.stop(); await h.close(); });

test('kube-dns in kube-system: the Service, the mirror Pod, Endpoints with the node IP, PTR of 10.96.0.10', async () => {
  const table = await h.client.getTable(services, { namespace: 'kube-system' });
  assert.deepEqual(table.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 5).join(' ')), ['kube-dns ClusterIP 10.96.0.10 <none> 53/UDP,53/TCP,9153/TCP']);
  const pods = R.pods;
  const pod = await until('the mirror pod', () => h.client.get(pods, 'kube-system', 'mk-agent-mk').then((p) => p.status?.phase === 'Running' && p));
  assert.equal(`${pod.status.podIP} ${pod.spec.nodeName}`, '10.244.0.2 mk');
  const ep = await until('kube-dns endpoints', () => h.client.get(R.endpoints, 'kube-system', 'kube-dns').then((e) => e.subsets?.length && e));
  assert.deepEqual(ep.subsets[0].addresses.map((a: { ip: string }) => a.ip), ['10.244.0.2']);
  assert.equal(show(await ask(port, '10.0.96.10.in-addr.arpa', 'PTR')), 'NOERROR aa rd ra\n10.0.96.10.in-addr.arpa 5 PTR kube-dns.kube-system.svc.cluster.local');
  assert.equal(show(await ask(port, 'kubernetes.default.svc.cluster.local', 'A')), 'NOERROR aa rd ra\nkubernetes.default.svc.cluster.local 5 A 10.96.0.1');
  assert.deepEqual(errors, []);
});

test('a Service created through the API resolves right after (time reported, not asserted)', async () => {
  const name = 'quick.default.svc.cluster.local';
  assert.match(show(await ask(port, name, 'A')), /^NXDOMAIN/);
  const t0 = performance.now();
  const created = await h.client.create(services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'quick', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  const got = await until('quick resolves', async () => { const p = await ask(port, name, 'A'); return p.answers?.length ? p : undefined; });
  console.log(`# a new Service resolved ${(performance.now() - t0).toFixed(1)} ms after its create was sent`);
  assert.equal(show(got), `NOERROR aa rd ra\n${name} 5 A ${created.spec.clusterIP}`);
});
