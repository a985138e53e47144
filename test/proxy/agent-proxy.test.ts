// startProxy against the in-process API server: Services and Endpoints written through the API
// reach the table through informers, a NodePort answers on loopback, and GET /rules (what
// `mk proxy rules` prints) lists the Services with endpoints, affinity and policy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/index.ts';
import { R } from '../../src/api/resources.ts';
import { KubeClient } from '../../src/client/index.ts';
import { startProxy, type RulesSnapshot, type RunningProxy } from '../../src/agent/proxy/index.ts';
import { renderRules } from '../../src/cli/proxy-rules.ts';
import { endpoints, service } from './fixtures.ts';

const SVC = R.services;
const EP = R.endpoints;
let dir: string;
let api: RunningApiServer;
let client: KubeClient;
let proxy: RunningProxy;
let backend: net.Server;
// Endpoints may not name loopback addresses: the backend listens on this host's own (local) address.
const hostIP = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mk-proxy-'));
  api = await startApiServer({ dataDir: dir });
  client = new KubeClient({ server: api.url, caPem: api.caPem, token: api.token });
  // the kubernetes Service's 443 is left alone here: this test may run as root on a shared machine;
  // kube-dns's 10.96.0.10 is the in-process DNS server's, skipped as the agent does
  proxy = await startProxy(client, { nodeName: 'mk', skipIPs: ['10.96.0.1', '10.96.0.10'], rulesPort: 0, log: () => {} });
  await proxy.ready;
  backend = net.createServer((s) => s.end('hello from the pod\n'));
  await new Promise<void>((r) => backend.listen(0, hostIP ?? '127.0.0.1', () => r()));
});

after(async () => {
  await proxy.stop();
  client.close();
  await api.close();
  await new Promise((r) => backend.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: string, f: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let d = '';
    s.on('data', (c) => (d += c));
    s.on('end', () => resolve(d));
    s.on('error', reject);
  });
}

async function rules(): Promise<RulesSnapshot> {
  const r = await fetch(`http://127.0.0.1:${proxy.rulesPort()}/rules`);
  assert.equal(r.status, 200);
  return (await r.json()) as RulesSnapshot;
}

test('a NodePort Service written through the API answers on loopback; /rules lists it', { skip: hostIP ? false : 'no non-loopback IPv4 address' }, async () => {
  const port = (backend.address() as net.AddressInfo).port;
  const created = await client.create(SVC, 'default', service('web', { type: 'NodePort', ports: [{ name: 'http', port: 8080, targetPort: 8080 }], sessionAffinity: 'ClientIP', externalTrafficPolicy: 'Cluster' }));
  await client.create(EP, 'default', endpoints('web', [{ ip: hostIP!, nodeName: 'mk' }], [{ name: 'http', port }]));
  const nodePort = created.spec.ports[0].nodePort as number;
  const clusterIP = created.spec.clusterIP as string;
  await until('the proxy to see the endpoints', () => proxy.table.lookup('TCP', '127.0.0.1', nodePort)?.entry.endpoints.length);
  await proxy.settled();
  assert.equal(await get(nodePort), 'hello from the pod\n');

  const snap = await rules();
  assert.equal(snap.node, 'mk');
  const ep = `${hostIP}:${port}`;
  const want = [
    { service: 'default/web', portName: 'http', type: 'NodePort', kind: 'ClusterIP', address: `${clusterIP}:8080/TCP`, endpoints: [ep], affinity: 'ClientIP/10800s', policy: 'Cluster' },
    { service: 'default/web', portName: 'http', type: 'NodePort', kind: 'NodePort', address: `<nodes>:${nodePort}/TCP`, endpoints: [ep], affinity: 'ClientIP/10800s', policy: 'Cluster' },
  ];
  assert.deepEqual(snap.rules, want);
  const w1 = Math.max(7, 'default/web:http'.length) + 3;
  const w3 = Math.max(`<nodes>:${nodePort}/TCP`.length, `${clusterIP}:8080/TCP`.length) + 3;
  const w4 = ep.length + 3;
  const line = (a: string, b: string, c: string, d: string, e: string, f: string) => `${a.padEnd(w1)}${b.padEnd(12)}${c.padEnd(w3)}${d.padEnd(w4)}${e.padEnd(18)}${f}\n`;
  assert.equal(renderRules(snap),
    line('SERVICE', 'TYPE', 'ADDRESS', 'ENDPOINTS', 'AFFINITY', 'POLICY') +
    line('default/web:http', 'ClusterIP', `${clusterIP}:8080/TCP`, ep, 'ClientIP/10800s', 'Cluster') +
    line('default/web:http', 'NodePort', `<nodes>:${nodePort}/TCP`, ep, 'ClientIP/10800s', 'Cluster') +
    '\nMode: userspace\n');

  // deleting the Endpoints: the rule stays, without endpoints, and connections are reset
  await client.delete(EP, 'default', 'web');
  await until('endpoints gone', () => proxy.table.lookup('TCP', '127.0.0.1', nodePort)?.entry.endpoints.length === 0);
  assert.match(renderRules(await rules()), /default\/web:http\s+NodePort\s+<nodes>:\d+\/TCP\s+<none>\s+ClientIP\/10800s\s+Cluster\n\nMode: userspace\n$/);
  await assert.rejects(get(nodePort), /ECONNRESET/);

  await client.delete(SVC, 'default', 'web');
  await until('service gone', () => !proxy.table.lookup('TCP', '127.0.0.1', nodePort));
  assert.equal(renderRules(await rules()), 'No Services proxied on node mk.\n\nMode: userspace\n');
});

test('a LoadBalancer Service with externalTrafficPolicy Local: the allocated healthCheckNodePort answers 503, then 200 with a local endpoint', async () => {
  const created = await client.create(SVC, 'default', service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 8081, targetPort: 8080 }] }));
  const hc = created.spec.healthCheckNodePort as number;
  assert.ok(hc >= 30000 && hc <= 32767, `allocated: ${hc}`);
  const health = async () => {
    const r = await fetch(`http://127.0.0.1:${hc}/`, { headers: { connection: 'close' } });
    return { status: r.status, body: await r.json() as { localEndpoints: number } };
  };
  await until('the health check port', () => proxy.snapshot().healthChecks?.length);
  await proxy.settled();
  assert.deepEqual(await health(), { status: 503, body: { service: { namespace: 'default', name: 'lb' }, localEndpoints: 0, serviceProxyHealthy: true } });
  await client.create(EP, 'default', endpoints('lb', [{ ip: '10.244.1.9', nodeName: 'mk' }, { ip: '10.244.2.9', nodeName: 'mk-m02' }], [{ port: 8080 }]));
  await until('the endpoints', () => proxy.snapshot().healthChecks?.[0]?.localEndpoints);
  assert.deepEqual(await health(), { status: 200, body: { service: { namespace: 'default', name: 'lb' }, localEndpoints: 1, serviceProxyHealthy: true } });
  assert.match(renderRules(await rules()), new RegExp(`\\ndefault/lb {3}healthCheckNodePort ${hc} -> 1 local endpoints\\n\\nMode: userspace\\n$`));
  await client.delete(SVC, 'default', 'lb');
  await until('the health check to close', () => proxy.snapshot().healthChecks?.length === 0);
  await assert.rejects(fetch(`http://127.0.0.1:${hc}/`, { headers: { connection: 'close' } }));
});
