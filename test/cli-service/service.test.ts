// mk service / service list: minikube's table and URLs against the in-process API server with a
// fake profile (node IP from the profile file), the "no node port" and not-found messages, and
// the local forward through the API server when the node IP does not answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixture } from './harness.ts';
import type { Fixture } from './harness.ts';
import { bufferOutput } from '../../src/lib/output.ts';
import { formatError } from '../../src/cli/errors.ts';
import { runService, runServiceList } from '../../src/cli/service.ts';
import { Cluster } from '../../src/cluster/index.ts';
import type { ServiceDeps } from '../../src/cli/service.ts';
import { renderTable, SERVICE_HEADER } from '../../src/cli/service-table.ts';
import { saveProfile } from '../../src/cluster/profile.ts';

let f: Fixture;
let echo: Server;
let echoPort: number;
let env: NodeJS.ProcessEnv;
let home: string;
const NODE_IP = '10.244.0.2';
/** the profile's cluster, its files read from the test's home */
const cluster = (profile: string) => Cluster.open(profile, { env });
const reachable = (answer: boolean): ServiceDeps & { dialled: string[] } => {
  const dialled: string[] = [];
  return { dialled, nodeIp: (c) => c.controlPlaneIP(), reachable: async (ip, port) => (dialled.push(`${ip}:${port}`), answer) };
};

before(async () => {
  echo = createServer((s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as AddressInfo).port;
  home = mkdtempSync(join(tmpdir(), 'mk-service-home-'));
  env = { HOME: home };
  saveProfile({ name: 'mk', subnet: '10.244.0.0/16', nodes: [{ name: 'mk', ip: NODE_IP, role: 'control-plane', podCIDR: '10.244.1.0/24' }, { name: 'mk-m02', ip: '10.244.0.3', role: 'worker', podCIDR: '10.244.2.0/24' }], ports: { apiserver: 1, http: 2, https: 3 }, image: 'mk', kubernetesVersion: 'v1.33.0', createdAt: '' }, env);
  f = await startFixture();
  const svc = (name: string, spec: object, ns = 'default') => f.create(`/api/v1/namespaces/${ns}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
  await svc('hello-world', { type: 'NodePort', selector: { app: 'echo' }, ports: [{ port: 80, targetPort: echoPort, nodePort: 30080 }] });
  await svc('kubia', { type: 'LoadBalancer', selector: { app: 'kubia' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30123 }, { name: 'https', port: 443, targetPort: 8443, nodePort: 30124 }] });
  await svc('internal', { selector: { app: 'x' }, ports: [{ port: 80 }] });
  await f.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  await svc('web', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 8080, nodePort: 31000 }] }, 'other');
  await f.create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'echo-1', labels: { app: 'echo' } }, spec: { nodeName: 'mk', containers: [{ name: 'c', image: 'echo', ports: [{ containerPort: echoPort }] }] } });
  const st = await f.cluster.patch('/api/v1/namespaces/default/pods/echo-1/status', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, 'application/merge-patch+json');
  assert.equal(st.status, 200, st.text);
});
after(async () => {
  await f?.close();
  echo?.close();
  rmSync(home, { recursive: true, force: true });
});

test('renderTable: minikube\'s layout (centred headers, numbers to the right, text to the left)', () => {
  assert.equal(renderTable(SERVICE_HEADER, [['default', 'devopslab-deployment-service', 'http/7000', 'http://192.168.59.100:32148']]), [
    '|-----------|------------------------------|-------------|-----------------------------|',
    '| NAMESPACE |             NAME             | TARGET PORT |             URL             |',
    '|-----------|------------------------------|-------------|-----------------------------|',
    '| default   | devopslab-deployment-service | http/7000   | http://192.168.59.100:32148 |',
    '|-----------|------------------------------|-------------|-----------------------------|',
    ''].join('\n'));
  assert.equal(renderTable(SERVICE_HEADER, [['default', 'kubernetes', '', 'No node port']]), [
    '|-----------|------------|-------------|--------------|',
    '| NAMESPACE |    NAME    | TARGET PORT |     URL      |',
    '|-----------|------------|-------------|--------------|',
    '| default   | kubernetes |             | No node port |',
    '|-----------|------------|-------------|--------------|',
    ''].join('\n'));
  assert.equal(renderTable(SERVICE_HEADER, [['default', 'moscow', '8081', 'http://192.168.49.2:30000']]).split('\n')[3], '| default   | moscow |        8081 | http://192.168.49.2:30000 |');
});

test('service list: every namespace, node ports as URLs on the control plane\'s IP', async () => {
  const out = bufferOutput();
  await runServiceList(f.client, { cluster: cluster('mk') }, out, reachable(true));
  assert.equal(out.stdout, [
    '|-------------|-------------|--------------|-------------------------|',
    '|  NAMESPACE  |    NAME     | TARGET PORT  |           URL           |',
    '|-------------|-------------|--------------|-------------------------|',
    '| default     | hello-world |           80 | http://10.244.0.2:30080 |',
    '| default     | internal    | No node port |                         |',
    '| default     | kubernetes  | No node port |                         |',
    '| default     | kubia       | http/80      | http://10.244.0.2:30123 |',
    '|             |             | https/443    | http://10.244.0.2:30124 |',
    '| kube-system | kube-dns    | No node port |                         |',
    '| other       | web         |         8080 | http://10.244.0.2:31000 |',
    '|-------------|-------------|--------------|-------------------------|',
    ''].join('\n'));
  const one = bufferOutput();
  await runServiceList(f.client, { cluster: cluster('mk'), namespace: 'other' }, one, reachable(true));
  assert.match(one.stdout, /\| other     \| web  \|        8080 \| http:\/\/10\.244\.0\.2:31000 \|/);
  assert.equal(one.stdout.split('\n').length, 6);
});

const run = async (o: { name: string; namespace?: string; url?: boolean; https?: boolean; profile?: string }, deps: ServiceDeps) => {
  const out = bufferOutput();
  const abort = new AbortController();
  try {
    await runService(f.client, f.conn, { ...o, cluster: cluster(o.profile ?? 'mk') }, out, deps, abort.signal);
    return { ...out, error: '' };
  } catch (e) {
    return { ...out, error: formatError(e) };
  }
};

test('service NAME: table and the note that no browser is opened; --url prints only URLs', async () => {
  const deps = reachable(true);
  let r = await run({ name: 'hello-world' }, deps);
  assert.equal(r.error, '');
  assert.equal(r.stdout, [
    '|-----------|-------------|-------------|-------------------------|',
    '| NAMESPACE |    NAME     | TARGET PORT |           URL           |',
    '|-----------|-------------|-------------|-------------------------|',
    '| default   | hello-world |          80 | http://10.244.0.2:30080 |',
    '|-----------|-------------|-------------|-------------------------|',
    'mk does not open a browser: open http://10.244.0.2:30080 in yours.',
    ''].join('\n'));
  assert.deepEqual(deps.dialled, ['10.244.0.2:30080']);
  r = await run({ name: 'kubia', url: true }, deps);
  assert.equal(r.stdout, 'http://10.244.0.2:30123\nhttp://10.244.0.2:30124\n');
  r = await run({ name: 'web', url: true, https: true, namespace: 'other' }, deps);
  assert.equal(r.stdout, 'https://10.244.0.2:31000\n');
});

test('service NAME: errors in minikube\'s words', async () => {
  const deps = reachable(true);
  let r = await run({ name: 'internal', url: true }, deps);
  assert.equal(r.stdout, '');
  assert.match(r.error, /^error: service default\/internal has no node port\n/);
  r = await run({ name: 'internal' }, deps);
  assert.match(r.stdout, /\| default   \| internal \|             \| No node port \|/);
  r = await run({ name: 'nope' }, deps);
  assert.equal(r.error, "error: Service 'nope' was not found in 'default' namespace.\nYou may select another namespace by using 'mk service nope -n <namespace>'. Or list out all the services using 'mk service list'.");
  r = await run({ name: 'hello-world', profile: 'other' }, deps);
  assert.equal(r.error, 'error: profile "other" not found\nTo start a cluster, run: "mk start -p other"');
  assert.deepEqual(deps.dialled, []);
});

test('service NAME where the node IP does not answer: a local port through the API server until Ctrl-C', async () => {
  const out = bufferOutput();
  const abort = new AbortController();
  const done = runService(f.client, f.conn, { name: 'hello-world', url: true, cluster: cluster('mk') }, out, reachable(false), abort.signal);
  for (let i = 0; i < 200 && !out.stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 10));
  const m = /^http:\/\/127\.0\.0\.1:(\d+)\n$/.exec(out.stdout);
  assert.ok(m, out.stdout);
  assert.match(out.stderr, /^The node IP 10\.244\.0\.2 does not answer from this host: mk forwards 127\.0\.0\.1:\d+ through the API server to a pod of default\/hello-world\. Keep this terminal open; Ctrl-C stops it\.\n$/);
  const reply = await new Promise<string>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: Number(m[1]) }, () => s.write('ping'));
    s.on('data', (d) => {
      resolve(d.toString());
      s.destroy();
    });
    s.on('error', reject);
  });
  assert.equal(reply, 'ping');
  abort.abort();
  const local = await done;
  assert.deepEqual(local.urls, [`http://127.0.0.1:${m[1]}`]);
});
