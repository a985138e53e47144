// The proxy on a real 2-node cluster (`mk start --nodes 2` under a random profile): a
// Deployment of 3 echo pods behind a NodePort Service; repeated requests to the ClusterIP from a
// pod and from a node answer from every replica; the nodePort answers from the host at each
// node's IP; the `kubernetes` Service reaches the API server from a pod; `mk proxy rules` lists
// what each node serves. Everything labelled with the profile is removed in `after`.
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
const home = mkdtempSync(join(tmpdir(), 'mk-e2e-proxy-'));
const env = { HOME: home, KUBECONFIG: join(home, 'kube', 'config'), NO_COLOR: '1' };
const worker = `${profile}-m02`;

async function run(file: string, args: string[], timeout = 120_000): Promise<Result> {
  const r = await execa(file, args, { env, reject: false, cwd: ROOT, timeout, stripFinalNewline: false, stdin: 'ignore' });
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
}
const mk = (...args: string[]) => run(process.execPath, [join(ROOT, 'bin', 'mk.js'), ...args]);
const kubectl = (...args: string[]) => run('kubectl', [`--cache-dir=${join(home, 'kcache')}`, ...args], 60_000);
const ok = (r: Result, what: string) => assert.equal(r.exitCode, 0, `${what} (exit ${r.exitCode}): ${r.stdout}${r.stderr}`);
const labelled = (kind: 'container' | 'network' | 'volume') =>
  execFileSync('docker', [kind, 'ls', '-q', ...(kind === 'container' ? ['-a'] : []), '--filter', `label=mk.cluster=${profile}`], { encoding: 'utf8' }).split('\n').filter(Boolean);

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
    await new Promise((r) => setTimeout(r, 500));
  }
}

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
spec:
  replicas: 3
  selector:
    matchLabels: {app: echo}
  template:
    metadata:
      labels: {app: echo}
    spec:
      containers:
      - name: echo
        image: ${TEST_IMAGES.echo}
        imagePullPolicy: IfNotPresent
        ports:
        - {name: http, containerPort: ${ECHO_PORT}}
---
apiVersion: v1
kind: Service
metadata:
  name: echo
spec:
  type: NodePort
  selector: {app: echo}
  ports:
  - {name: http, port: 80, targetPort: http}
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: client
    image: ${TEST_IMAGES.busybox}
    imagePullPolicy: IfNotPresent
    command: ["sleep", "3600"]
`;

let clusterIP = '';
let nodePort = 0;
let pods: string[] = [];

before(async () => {
  await ensureTestImages(dockerRuntime());
  ok(await mk('start', '-p', profile, '--nodes', '2'), 'mk start');
  const file = join(home, 'echo.yaml');
  writeFileSync(file, MANIFEST);
  ok(await kubectl('apply', '-f', file), 'apply');
  const svc = JSON.parse((await kubectl('get', 'svc', 'echo', '-o', 'json')).stdout);
  clusterIP = svc.spec.clusterIP;
  nodePort = svc.spec.ports[0].nodePort;
  pods = await poll('3 echo pods in the Endpoints and the client running', async () => {
    const ep = JSON.parse((await kubectl('get', 'endpoints', 'echo', '-o', 'json')).stdout);
    const ready = (ep.subsets ?? []).flatMap((s: any) => s.addresses ?? []);
    const client = JSON.parse((await kubectl('get', 'pod', 'client', '-o', 'json')).stdout);
    if (ready.length !== 3 || client.status?.phase !== 'Running') return undefined;
    return ready.map((a: any) => a.targetRef?.name as string).sort();
  });
}, { timeout: 300_000 });

after(async () => {
  await mk('delete', '-p', profile);
  for (const c of labelled('container')) execFileSync('docker', ['rm', '-f', c]);
  for (const n of labelled('network')) execFileSync('docker', ['network', 'rm', n]);
  for (const v of labelled('volume')) execFileSync('docker', ['volume', 'rm', '-f', v]);
  rmSync(home, { recursive: true, force: true });
}, { timeout: 180_000 });

const hostnameOf = (body: string) => /^Hostname: (\S+)$/m.exec(body)?.[1];

/** `n` requests; the set of hostnames that answered (every answer must be the echo page). */
async function replicas(n: number, get: () => Promise<Result>): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const r = await get();
    ok(r, `request ${i}`);
    assert.match(r.stdout, /^Hello, world!\nVersion: 1\.0\.0\nHostname: \S+\n$/);
    seen.add(hostnameOf(r.stdout)!);
  }
  return [...seen].sort();
}

test('from a pod, the ClusterIP answers from every replica', async () => {
  assert.match(clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  const seen = await replicas(9, () => kubectl('exec', 'client', '--', 'wget', '-qO-', `http://${clusterIP}`));
  assert.deepEqual(seen, pods);
});

test('from each node, the ClusterIP answers from every replica', async () => {
  for (const node of [profile, worker]) {
    const seen = await replicas(9, () => mk('ssh', '-p', profile, '-n', node, '--', 'wget', '-qO-', `http://${clusterIP}`));
    assert.deepEqual(seen, pods, node);
  }
});

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

test('the nodePort answers from the host at each node IP', async () => {
  for (const node of [profile, worker]) {
    const ip = (await mk('ip', '-p', profile, '-n', node)).stdout.trim();
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const body = await hostGet(`http://${ip}:${nodePort}/`);
      assert.match(body, /^Hello, world!\n/);
      seen.add(hostnameOf(body)!);
    }
    assert.deepEqual([...seen].sort(), pods, node);
  }
});

test('the kubernetes Service reaches the API server from a pod', async () => {
  // a TLS server answers a plain-text request with an alert; what matters is that it is reached
  const r = await kubectl('exec', 'client', '--', 'sh', '-c', 'echo hi | nc -w 3 10.96.0.1 443 >/dev/null && echo reached');
  ok(r, 'nc 10.96.0.1 443');
  assert.equal(r.stdout, 'reached\n');
});

test('mk proxy rules lists the Service with its endpoints on every node', async () => {
  const ep = await kubectl('get', 'endpoints', 'echo', '-o', 'jsonpath={range .subsets[*].addresses[*]}{.ip}{"\\n"}{end}');
  const ips = ep.stdout.trim().split('\n').map((ip) => `${ip}:${ECHO_PORT}`);
  for (const node of [profile, worker]) {
    const r = await mk('proxy', 'rules', '-p', profile, '-n', node);
    ok(r, `proxy rules ${node}`);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^SERVICE\s+TYPE\s+ADDRESS\s+ENDPOINTS\s+AFFINITY\s+POLICY$/);
    const cluster = lines.find((l) => l.startsWith('default/echo:http ') && l.includes(' ClusterIP '));
    const np = lines.find((l) => l.startsWith('default/echo:http ') && l.includes(' NodePort '));
    assert.match(cluster ?? '', new RegExp(`^default/echo:http\\s+ClusterIP\\s+${clusterIP.replaceAll('.', '\\.')}:80/TCP\\s+(\\S+)\\s+None\\s+Cluster$`), r.stdout);
    assert.match(np ?? '', new RegExp(`^default/echo:http\\s+NodePort\\s+<nodes>:${nodePort}/TCP\\s+\\S+\\s+None\\s+Cluster$`), r.stdout);
    assert.deepEqual(cluster!.split(/\s+/)[3]!.split(',').sort(), ips.sort());
    assert.match(r.stdout, /^default\/kubernetes:https\s+ClusterIP\s+10\.96\.0\.1:443\/TCP\s+\d+\.\d+\.0\.2:6443\s+None\s+Cluster$/m);
  }
});
