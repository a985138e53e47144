// Real kubectl against the in-process API server: discovery, tables, writes, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster } from './harness.ts';

const KUBECTL = existsSync('/usr/lib/google-cloud-sdk/bin/kubectl.1.33') ? '/usr/lib/google-cloud-sdk/bin/kubectl.1.33' : 'kubectl';
let c: TestCluster;
let home: string;
let kubeconfig: string;

function kubectl(args: string[], input?: string, bin = KUBECTL): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = execFile(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) p.stdin!.end(input);
  });
}

before(async () => {
  c = await TestCluster.start();
  home = mkdtempSync(join(tmpdir(), 'mk-kubectl-'));
  kubeconfig = join(home, 'config');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'mk', cluster: { server: c.server.url, 'certificate-authority-data': Buffer.from(c.server.caPem).toString('base64') } }],
      users: [{ name: 'mk', user: { token: c.server.token } }],
      contexts: [{ name: 'mk', context: { cluster: 'mk', user: 'mk', namespace: 'default' } }],
      'current-context': 'mk',
    }),
  );
});
after(async () => {
  await c.stop();
  rmSync(home, { recursive: true, force: true });
});

test('kubectl get ns lists the four namespaces', async () => {
  const r = await kubectl(['get', 'ns']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n')[0].split(/\s+/), ['NAME', 'STATUS', 'AGE']);
  const names = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
  assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  assert.match(r.stdout, /default\s+Active\s+\d+s/);
});

test('kubectl get svc prints the kubernetes service as Kubernetes does', async () => {
  const r = await kubectl(['get', 'svc']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
  assert.match(lines[1], /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\d+s$/);
});

test('kubectl create, apply, label, scale, get errors', async () => {
  const dep = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 1
  selector:
    matchLabels: {app: kubia}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia:v1
`;
  let r = await kubectl(['apply', '-f', '-'], dep);
  assert.equal(r.stdout, 'deployment.apps/kubia created\n', r.stderr);
  r = await kubectl(['apply', '-f', '-'], dep.replace('replicas: 1', 'replicas: 2'));
  assert.equal(r.stdout, 'deployment.apps/kubia configured\n', r.stderr);
  r = await kubectl(['scale', 'deployment', 'kubia', '--replicas=3']);
  assert.equal(r.stdout, 'deployment.apps/kubia scaled\n', r.stderr);
  r = await kubectl(['label', 'deployment', 'kubia', 'tier=web']);
  assert.equal(r.stdout, 'deployment.apps/kubia labeled\n', r.stderr);
  r = await kubectl(['get', 'deploy', 'kubia', '-o', 'jsonpath={.spec.replicas} {.metadata.labels.tier} {.metadata.generation}']);
  assert.equal(r.stdout, '3 web 3', r.stderr);
  r = await kubectl(['expose', 'deployment', 'kubia', '--port=80', '--target-port=8080', '--type=NodePort']);
  assert.equal(r.stdout, 'service/kubia exposed\n', r.stderr);
  r = await kubectl(['get', 'svc', 'nope']);
  assert.equal(r.stderr, 'Error from server (NotFound): services "nope" not found\n');
  r = await kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  sepc: 1\n  ports: [{port: 80}]\n');
  assert.match(r.stderr, /unknown field "spec.sepc"/);
  r = await kubectl(['get', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /service\/kubia\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP/);
  assert.match(r.stdout, /deployment\.apps\/kubia\s+0\/3/);
  r = await kubectl(['delete', 'deployment', 'kubia']);
  assert.equal(r.stdout, 'deployment.apps "kubia" deleted\n', r.stderr);
});

test('kubectl 1.27 and 1.30 read discovery and tables too', async () => {
  for (const minor of ['27', '30']) {
    const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
    if (!existsSync(bin)) continue;
    const r = await kubectl(['get', 'svc,ns', '-A'], undefined, bin);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /default\s+service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
    assert.match(r.stdout, /namespace\/kube-system\s+Active/);
  }
});

test('kubectl get -w stays open and prints new rows from the watch', async () => {
  const p = spawn(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), 'get', 'cm', '-w']);
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  try {
    const waitFor = async (re: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!re.test(out)) {
        if (Date.now() > deadline || p.exitCode !== null) throw new Error(`kubectl get -w printed: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await c.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' }, data: { a: 'b' } });
    await waitFor(/first\s+1\s+\d+s/);
    await c.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched' }, data: { a: 'b', c: 'd' } });
    await waitFor(/watched\s+2\s+\d+s/);
    assert.equal(out.match(/NAME\s+DATA\s+AGE/g)?.length, 1, out);
    assert.equal(p.exitCode, null);
  } finally {
    p.kill();
  }
});
