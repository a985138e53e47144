// Real kubectl against the in-process API server: discovery, tables, writes, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster } from './harness.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

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
  saveClusterAccess({ profile: 'mk', server: c.server.url, caPem: c.server.caPem, token: c.server.token }, { path: kubeconfig });
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
  r = await kubectl(['get', 'svc', '--field-selector', 'spec.type=NodePort']);
  assert.equal(r.stderr, 'Error from server (BadRequest): Unable to find "/v1, Resource=services" that match label selector "", field selector "spec.type=NodePort": field label not supported: spec.type\n');
  r = await kubectl(['get', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /service\/kubia\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP/);
  assert.match(r.stdout, /deployment\.apps\/kubia\s+0\/3/);
  r = await kubectl(['delete', 'deployment', 'kubia']);
  assert.equal(r.stdout, 'deployment.apps "kubia" deleted\n', r.stderr);
});

test('kubectl 1.27 and 1.30 read discovery and tables too, and apply', async () => {
  for (const minor of ['27', '30']) {
    const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
    if (!existsSync(bin)) continue;
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied-${minor}\ndata:\n  a: b\n`;
    const a = await kubectl(['apply', '-f', '-'], cm, bin);
    assert.equal(a.stdout, `configmap/applied-${minor} created\n`, a.stderr);
    const typo = await kubectl(['apply', '-f', '-'], cm.replace('\ndata:', '\ndta:'), bin);
    assert.match(typo.stderr, /unknown field "dta"/);
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

test('kubectl explain reads the OpenAPI v3 documents', async () => {
  const r = await kubectl(['explain', 'svc.spec.ports']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /KIND:\s+Service/);
  assert.match(r.stdout, /nodePort\s+<integer>/);
  const strict = await kubectl(['create', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata:\n  name: typo\nspec:\n  sepc: 1\n  ports: [{port: 80}]\n');
  assert.match(strict.stderr, /unknown field "spec.sepc"/);
});

test('kubectl explain describes the workload kinds and a StatefulSet\'s spec, as the tutorials read them', async () => {
  const cases: [string[], RegExp[]][] = [
    [['explain', 'statefulset'], [/KIND:\s+StatefulSet/, /DESCRIPTION:\n\s+StatefulSet represents a set of pods with consistent identities/]],
    [['explain', 'statefulset.spec'], [/DESCRIPTION:\n\s+A StatefulSetSpec is the specification of a StatefulSet\./, /replicas\s+<integer>\n\s+replicas is the desired number of replicas/, /podManagementPolicy\s+<string>\n\s+podManagementPolicy controls how pods are created/]],
    [['explain', 'daemonset'], [/DaemonSet represents the configuration of a daemon set\./]],
    [['explain', 'job'], [/Job represents the configuration of a single job\./]],
    [['explain', 'cronjob'], [/CronJob represents the configuration of a single cron job\./]],
    [['explain', 'pvc'], [/PersistentVolumeClaim is a user's request for and claim to a persistent\s+volume/]],
  ];
  for (const [args, want] of cases) {
    const r = await kubectl(args);
    assert.equal(r.code, 0, r.stderr);
    for (const re of want) assert.match(r.stdout, re, args.join(' '));
    assert.doesNotMatch(r.stdout, /DESCRIPTION:\n\s+<empty>/, args.join(' '));
  }
});

test('kubectl 1.32+ typed creates send protobuf bodies: deployment, service, configmap, secret, namespace, ingress', async () => {
  for (const minor of ['32', '33']) {
    const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
    if (!existsSync(bin)) continue;
    const run = async (args: string[], want: string) => {
      const r = await kubectl(args, undefined, bin);
      assert.equal(r.stdout, want, `${minor} ${args.join(' ')}: ${r.stderr}`);
    };
    const s = `p${minor}`;
    await run(['create', 'deployment', `${s}-web`, '--image=luksa/kubia:v1', '--port=8080', '--replicas=2'], `deployment.apps/${s}-web created\n`);
    await run(['create', 'service', 'nodeport', `${s}-svc`, '--tcp=80:8080', `--node-port=307${minor}`], `service/${s}-svc created\n`);
    await run(['create', 'configmap', `${s}-cm`, '--from-literal=a=b'], `configmap/${s}-cm created\n`);
    await run(['create', 'secret', 'generic', `${s}-sec`, '--from-literal=user=admin'], `secret/${s}-sec created\n`);
    await run(['create', 'namespace', `${s}-ns`], `namespace/${s}-ns created\n`);
    await run(['create', 'ingress', `${s}-ing`, '--rule=foo.com/*=web:8080'], `ingress.networking.k8s.io/${s}-ing created\n`);
    const d = (await c.get(`/apis/apps/v1/namespaces/default/deployments/${s}-web`)).json;
    assert.deepEqual([d.spec.replicas, d.spec.template.spec.containers[0].image, d.spec.template.spec.containers[0].ports[0].containerPort], [2, 'luksa/kubia:v1', 8080]);
    const svc = (await c.get(`/api/v1/namespaces/default/services/${s}-svc`)).json;
    assert.deepEqual([svc.spec.type, svc.spec.ports[0].targetPort, svc.spec.selector], ['NodePort', 8080, { app: `${s}-svc` }]);
    assert.equal((await c.get(`/api/v1/namespaces/default/secrets/${s}-sec`)).json.data.user, Buffer.from('admin').toString('base64'));
    assert.equal((await c.get(`/api/v1/namespaces/default/configmaps/${s}-cm`)).json.data.a, 'b');
    assert.equal((await c.get(`/apis/networking.k8s.io/v1/namespaces/default/ingresses/${s}-ing`)).json.spec.rules[0].host, 'foo.com');
  }
});

test('kubectl apply --server-side creates, then merges into the object', async () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n';
  let r = await kubectl(['apply', '--server-side', '-f', '-'], cm);
  assert.equal(r.stdout, 'configmap/ssa serverside-applied\n', r.stderr);
  r = await kubectl(['apply', '--server-side', '-f', '-'], cm.replace('"1"', '"2"\n  b: "3"'));
  assert.equal(r.stdout, 'configmap/ssa serverside-applied\n', r.stderr);
  assert.deepEqual((await c.get('/api/v1/namespaces/default/configmaps/ssa')).json.data, { a: '2', b: '3' });
  r = await kubectl(['diff', '-f', '-'], cm);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /-  a: "2"\n\+  a: "1"/);
});

