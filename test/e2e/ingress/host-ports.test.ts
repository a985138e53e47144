// The ingress addon from the host's loopback, on a real one-node cluster: the control plane
// publishes the addon on 127.0.0.1:80/443 when they were free at `mk start` (else on the ports
// recorded in the profile), and `curl --resolve "hello-world.example:PORT:127.0.0.1"` reaches
// the backend through it. Then, when the cluster had 80: stopped, with 127.0.0.1:80 held by
// another program, it starts again on a new HTTP port (its API server port kept), and `mk tunnel`
// brings 127.0.0.1:80 to that port while it runs. Only loopback and the cluster's bridge are
// dialled; everything labelled with the profile (and the tunnel's route) is removed in `after`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeClient } from '../../../src/client/index.ts';
import { enableIngress, waitForIngress } from '../../../src/addons/ingress.ts';
import { probeLocalPort } from '../../../src/cluster/host-ports.ts';
import { SERVICE_CIDR as CIDR, echoDeployment, ok, poll, startFlow, withHostRoute, type Flow } from '../flows/cluster.ts';

let f: Flow;
let client: KubeClient;
let cpIp = '';
let freeBefore = false;
const HOST = 'hello-world.example';
const routeNow = () => execFileSync('ip', ['route', 'show', 'exact', CIDR], { encoding: 'utf8' }).trim();
const ports = (): { apiserver: number; http: number; https: number } => JSON.parse(readFileSync(join(f.home, '.mk', 'profiles', `${f.profile}.json`), 'utf8')).ports;

/** curl from the host to 127.0.0.1:port with the name resolved there, as a user would. */
async function curl(port: number): Promise<string> {
  const { stdout } = await promisify(execFile)('curl', ['-sS', '--max-time', '5', '--resolve', `${HOST}:${port}:127.0.0.1`, `http://${HOST}:${port}/`], { encoding: 'utf8' });
  return stdout;
}
const answered = (port: number) => poll(`${HOST} through 127.0.0.1:${port}`, async () => {
  const body = await curl(port);
  return /^Hello, world!\nVersion: 1\.0\.0\nHostname: hello-world-/.test(body) ? body : undefined;
}, { ms: 60_000, retryErrors: true });

const APP = `${echoDeployment('hello-world', { replicas: 1 })}---
apiVersion: v1
kind: Service
metadata: {name: hello-world}
spec:
  ports: [{port: 80, targetPort: 8080}]
  selector: {app: hello-world}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: hello-world}
spec:
  rules:
  - host: ${HOST}
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: hello-world, port: {number: 80}}}}]
`;

before(async () => {
  freeBefore = (await probeLocalPort(80)) === 'free' && (await probeLocalPort(443)) === 'free';
  f = await startFlow('ingress-host', { nodes: 1 });
  client = KubeClient.fromKubeconfig({ path: f.kubeconfig });
  cpIp = (await f.mk('ip', '-p', f.profile)).stdout.trim();
  await enableIngress(client);
  await waitForIngress(client, { timeoutMs: 30_000 });
  ok(await f.kubectl('kubectl', 'apply', '-f', f.file('app.yaml', APP)), 'apply');
}, { timeout: 300_000 });

after(async () => {
  client?.close();
  if (cpIp && routeNow().includes(`via ${cpIp} `)) execFileSync('ip', ['route', 'del', CIDR, 'via', cpIp]);
  await f?.teardown();
}, { timeout: 180_000 });

test("curl --resolve reaches the backend through 127.0.0.1's published port (80 when it was free)", async (t) => {
  const p = ports();
  if (p.http !== 80) {
    // 80 was taken (before our start, or by a cluster of a test file running beside this one
    // between our look and our start): a free port instead
    t.diagnostic(`127.0.0.1:80 ${freeBefore ? 'was free just before mk start' : 'was taken'}; the cluster got ${p.http}`);
    assert.ok(p.http >= 1024, JSON.stringify(p));
  }
  const docker = execFileSync('docker', ['port', f.profile], { encoding: 'utf8' });
  assert.match(docker, new RegExp(`^80/tcp -> 127\\.0\\.0\\.1:${p.http}$`, 'm'));
  assert.match(docker, new RegExp(`^443/tcp -> 127\\.0\\.0\\.1:${p.https}$`, 'm'));
  await answered(p.http);
});

// The cluster's HTTP port is 80 when it was free at its creation, else another (an e2e file running
// alongside may hold 80): either way another program takes it while the cluster is stopped.
test('with its HTTP port taken while stopped: a new HTTP port, the same API server port; mk tunnel brings 80 back', { timeout: 240_000 }, async (t) => {
  const before = ports();
  ok(await f.mk('stop', '-p', f.profile), 'mk stop');
  const holder: Server = createServer((c) => c.destroy());
  const held = await new Promise<boolean>((resolve) => {
    holder.once('error', () => resolve(false));
    holder.listen(before.http, '127.0.0.1', () => resolve(true));
  });
  assert.ok(held, `127.0.0.1:${before.http} could be taken while the cluster was stopped`);
  try {
    ok(await f.mk('start', '-p', f.profile), `mk start with ${before.http} taken`);
  } finally {
    await new Promise((r) => holder.close(r));
  }
  const now = ports();
  assert.equal(now.apiserver, before.apiserver);
  assert.notEqual(now.http, before.http);
  ok(await f.kubectl('kubectl', 'get', 'ns', 'default'), 'the kubeconfig still works');
  await answered(now.http);

  // one tunnel at a time on this host (another e2e file's would hold the route)
  await withHostRoute(async () => {
    if (routeNow() !== '') return t.skip(`the host already routes ${CIDR} (another tunnel): ${routeNow()}`);
    if ((await probeLocalPort(80)) !== 'free') return t.skip('127.0.0.1:80 is held by another program now');
    const tunnel = f.spawn('mk', ['tunnel', '-p', f.profile]);
    let out = '';
    try {
      await poll('the tunnel for the ingress addon', async () => (tunnel.stdout().includes('Starting tunnel for the ingress addon') ? true : undefined), { ms: 30_000 });
      assert.match(tunnel.stdout(), new RegExp(`Starting tunnel for the ingress addon: 127\\.0\\.0\\.1:80 -> 127\\.0\\.0\\.1:${now.http}`));
      await answered(80);
    } finally {
      const r = await tunnel.stop('SIGINT');
      out = r.stdout;
      assert.equal(r.exitCode, 0, `${r.stdout}${r.stderr}`);
    }
    assert.match(out, /Stopping tunnel for the ingress addon\.\nStopped the tunnel: /);
    assert.equal(await probeLocalPort(80), 'free');
  });
});
