// mk service and mk tunnel on a real cluster (`mk start` under a random profile; we run as root
// here): seed 004's hello-world exposed as a LoadBalancer shows <pending>, answers at
// `mk service --url` (the control plane's IP on the cluster's bridge); under `mk tunnel` it gets
// its ClusterIP as EXTERNAL-IP and answers from the host through the route to the service
// range; SIGINT removes the route and the IP. Only the cluster's bridge and its service range
// are dialled. Everything labelled with the profile (and the route) is removed in `after`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { dockerRuntime } from '../../../src/agent/runtime/index.ts';
import { ECHO_PORT, ensureTestImages, TEST_IMAGES } from '../../images/index.ts';
import { ROOT, type Result } from '../harness.ts';

const profile = `mk-e2e-${randomBytes(3).toString('hex')}`;
const home = mkdtempSync(join(tmpdir(), 'mk-e2e-tunnel-'));
const env = { HOME: home, KUBECONFIG: join(home, 'kube', 'config'), NO_COLOR: '1' };
const CIDR = '10.96.0.0/12';

async function run(file: string, args: string[], timeout = 120_000): Promise<Result> {
  const r = await execa(file, args, { env, reject: false, cwd: ROOT, timeout, stripFinalNewline: false, stdin: 'ignore' });
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
}
const mk = (...args: string[]) => run(process.execPath, [join(ROOT, 'bin', 'mk.js'), ...args]);
const kubectl = (...args: string[]) => run('kubectl', [`--cache-dir=${join(home, 'kcache')}`, ...args], 60_000);
const ok = (r: Result, what: string) => assert.equal(r.exitCode, 0, `${what} (exit ${r.exitCode}): ${r.stdout}${r.stderr}`);
const labelled = (kind: 'container' | 'network' | 'volume') =>
  execFileSync('docker', [kind, 'ls', '-q', ...(kind === 'container' ? ['-a'] : []), '--filter', `label=mk.cluster=${profile}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
const routeNow = () => execFileSync('ip', ['route', 'show', 'exact', CIDR], { encoding: 'utf8' }).trim();

async function poll<T>(what: string, f: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function hostGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject).on('timeout', function (this: http.ClientRequest) { this.destroy(new Error('timeout')); });
  });
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello-world
  labels: {app: hello-world}
spec:
  replicas: 2
  selector:
    matchLabels: {app: hello-world}
  template:
    metadata:
      labels: {app: hello-world}
    spec:
      containers:
      - name: hello-world
        image: ${TEST_IMAGES.echo}
        imagePullPolicy: IfNotPresent
        ports:
        - containerPort: ${ECHO_PORT}
`;

let cpIp = '';
let routeBefore = '';

before(async () => {
  routeBefore = routeNow();
  await ensureTestImages(dockerRuntime());
  ok(await mk('start', '-p', profile), 'mk start');
  cpIp = (await mk('ip', '-p', profile)).stdout.trim();
  const file = join(home, 'hello.yaml');
  writeFileSync(file, DEPLOYMENT);
  ok(await kubectl('apply', '-f', file), 'apply');
  await poll('2 ready endpoints', async () => {
    const r = await kubectl('get', 'deploy', 'hello-world', '-o', 'jsonpath={.status.readyReplicas}');
    return r.stdout === '2' ? true : undefined;
  });
}, { timeout: 300_000 });

after(async () => {
  if (cpIp && routeNow().includes(`via ${cpIp} `)) execFileSync('ip', ['route', 'del', CIDR, 'via', cpIp]);
  await mk('delete', '-p', profile);
  for (const c of labelled('container')) execFileSync('docker', ['rm', '-f', c]);
  for (const n of labelled('network')) execFileSync('docker', ['network', 'rm', n]);
  for (const v of labelled('volume')) execFileSync('docker', ['volume', 'rm', '-f', v]);
  rmSync(home, { recursive: true, force: true });
}, { timeout: 180_000 });

test('seed 004: expose as LoadBalancer, <pending>, mk service --url answers, mk tunnel gives the EXTERNAL-IP and takes it back', async (t) => {
  if (routeBefore !== '') return t.skip(`the host already routes ${CIDR}: ${routeBefore}`);
  const exposed = await mk('expose', 'deployment', 'hello-world', '--type=LoadBalancer', '--port=80', '--target-port=8080');
  ok(exposed, 'expose');
  assert.equal(exposed.stdout, 'service/hello-world exposed\n');
  const svc = JSON.parse((await kubectl('get', 'svc', 'hello-world', '-o', 'json')).stdout);
  const clusterIP: string = svc.spec.clusterIP;
  const nodePort: number = svc.spec.ports[0].nodePort;
  assert.match((await kubectl('get', 'svc', 'hello-world', '--no-headers')).stdout, /^hello-world\s+LoadBalancer\s+\S+\s+<pending>\s+80:\d+\/TCP/);

  const url = await mk('service', 'hello-world', '--url', '-p', profile);
  ok(url, 'mk service --url');
  assert.equal(url.stdout, `http://${cpIp}:${nodePort}\n`);
  assert.match(await hostGet(url.stdout.trim()), /^Hello, world!\nVersion: 1\.0\.0\nHostname: hello-world-/);
  const list = await mk('service', 'list', '-p', profile);
  ok(list, 'mk service list');
  assert.match(list.stdout, new RegExp(`\\| default +\\| hello-world +\\| +80 \\| http://${cpIp.replaceAll('.', '\\.')}:${nodePort} \\|`));

  let out = '';
  const tunnel = execa(process.execPath, [join(ROOT, 'bin', 'mk.js'), 'tunnel', '-p', profile], { env, reject: false, cwd: ROOT, stdin: 'ignore' });
  tunnel.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  try {
    await poll('EXTERNAL-IP from the tunnel', async () => {
      const r = await kubectl('get', 'svc', 'hello-world', '--no-headers');
      return new RegExp(`^hello-world\\s+LoadBalancer\\s+${clusterIP.replaceAll('.', '\\.')}\\s+${clusterIP.replaceAll('.', '\\.')}\\s+80:${nodePort}/TCP`).test(r.stdout) ? true : undefined;
    }, 30_000);
    assert.match(routeNow(), new RegExp(`^10\\.96\\.0\\.0/12 via ${cpIp.replaceAll('.', '\\.')} `));
    await poll('the status block', async () => (out.includes('services: [hello-world]') ? true : undefined), 10_000);
    assert.match(out, new RegExp(`^Status:\\t\\n\\tmachine: ${profile}\\n\\tpid: \\d+\\n\\troute: 10\\.96\\.0\\.0/12 -> ${cpIp.replaceAll('.', '\\.')}\\n`));
    assert.match(await hostGet(`http://${clusterIP}/`), /^Hello, world!\nVersion: 1\.0\.0\nHostname: hello-world-/);
  } finally {
    tunnel.kill('SIGINT');
    const r = await tunnel;
    assert.equal(r.exitCode, 0, `${out}${String(r.stderr ?? '')}`);
  }
  assert.match(out, /Stopped the tunnel: removed the route 10\.96\.0\.0\/12 -> \S+, removed the external IPs of \[hello-world\]\.\n$/);
  assert.equal(routeNow(), '');
  assert.match((await kubectl('get', 'svc', 'hello-world', '--no-headers')).stdout, /^hello-world\s+LoadBalancer\s+\S+\s+<pending>\s+/);
});
