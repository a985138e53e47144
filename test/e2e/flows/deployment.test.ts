// A Deployment's life on a real 2-node cluster, as `mk get` shows it: 3 replicas of the echo
// image, scaled to 5 and to 1, a template change (VERSION env) rolled out to 3 (a new
// ReplicaSet, the old one at 0, every pod answering with the new version), and delete removing
// its ReplicaSets, pods and their Docker containers (found by the cluster's labels). The echo
// server (busybox nc as PID 1) ignores SIGTERM, so a 1 s grace keeps terminations short.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { LABELS, ROLES } from '../../../src/runtime/labels.ts';
import { ECHO_PORT, TEST_IMAGES } from '../../images/index.ts';
import { ok, poll, podRows, startFlow, type Flow } from './cluster.ts';

let f: Flow;

const deployment = (replicas: number, version: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: hello
        image: ${TEST_IMAGES.echo}
        imagePullPolicy: IfNotPresent
        env:
        - name: VERSION
          value: "${version}"
        ports:
        - containerPort: ${ECHO_PORT}
`;

before(async () => {
  f = await startFlow('deploy');
}, { timeout: 180_000 });

after(async () => { await f?.teardown(); }, { timeout: 180_000 });

/** the hello pods `mk get pods` lists (Terminating ones included) */
async function helloPods() {
  const r = await f.mk('get', 'pods');
  ok(r, 'mk get pods');
  return { text: r.stdout, rows: podRows(r.stdout).filter((p) => p.name.startsWith('hello-')) };
}

/** Waits until exactly `n` hello pods are listed, all Running 1/1, and `get deploy` says n/n. */
async function settle(n: number): Promise<string[]> {
  let last = '';
  const names = await poll(`${n} hello pods Running 1/1`, async () => {
    const p = await helloPods();
    last = p.text;
    return p.rows.length === n && p.rows.every((x) => x.status === 'Running' && x.ready === '1/1') ? p.rows.map((x) => x.name) : undefined;
  }, { ms: 90_000, last: () => last });
  await poll(`deployment hello ${n}/${n}`, async () => {
    const d = await f.mk('get', 'deploy', 'hello');
    last = d.stdout;
    return new RegExp(`^hello\\s+${n}/${n}\\s+${n}\\s+${n}\\s+\\S+$`, 'm').test(d.stdout) ? true : undefined;
  }, { ms: 30_000, last: () => last });
  assert.match(last, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
  return names;
}

/** names of the default namespace's pods that still have Docker containers (sandbox or app) */
function podContainers(): string[] {
  return execFileSync('docker', ['ps', '-a', '--filter', `label=${LABELS.cluster}=${f.profile}`, '--filter', `label=${LABELS.role}=${ROLES.pod}`,
    '--filter', `label=${LABELS.podNamespace}=default`,
    '--format', `{{.Label "${LABELS.podName}"}}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

test('a Deployment of 3, scaled to 5 and to 1', async () => {
  const r = await f.mk('apply', '-f', f.file('hello.yaml', deployment(3, '1.0.0')));
  ok(r, 'apply');
  assert.equal(r.stdout, 'deployment.apps/hello created\n');
  const three = await settle(3);
  for (const n of three) assert.match(n, /^hello-[a-z0-9]{6,10}-[a-z0-9]{5}$/);

  const up = await f.mk('scale', 'deployment', 'hello', '--replicas=5');
  ok(up, 'scale to 5');
  assert.equal(up.stdout, 'deployment.apps/hello scaled\n');
  const five = await settle(5);
  for (const n of three) assert.ok(five.includes(n), `scaling up keeps the running pods: ${n} missing from ${five.join(' ')}`);

  const down = await f.mk('scale', 'deployment', 'hello', '--replicas=1');
  ok(down, 'scale to 1');
  assert.equal(down.stdout, 'deployment.apps/hello scaled\n');
  const one = await settle(1);
  assert.ok(five.includes(one[0]!), 'scaling down keeps one of the running pods');
  await poll('the scaled-down pods\' containers to be removed', async () => {
    const left = new Set(podContainers());
    return left.size === 1 && left.has(one[0]!) ? true : undefined;
  }, { ms: 60_000, last: () => podContainers().join('\n') });
});

test('a template change rolls out: a new ReplicaSet, the old one at 0, every pod on the new version', async () => {
  const before = await f.mk('get', 'rs', '-o', 'name');
  ok(before, 'get rs -o name');
  assert.match(before.stdout, /^replicaset\.apps\/hello-[a-z0-9]+\n$/);
  const oldRS = before.stdout.trim().split('/')[1]!;

  const r = await f.mk('apply', '-f', f.file('hello.yaml', deployment(3, '2.0.0')));
  ok(r, 'apply v2');
  assert.equal(r.stdout, 'deployment.apps/hello configured\n');
  const pods = await settle(3);

  let last = '';
  const newRS = await poll('the old ReplicaSet scaled to 0 beside a new one at 3', async () => {
    const rs = await f.mk('get', 'rs');
    last = rs.stdout;
    const rows = rs.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/));
    const old = rows.find((x) => x[0] === oldRS);
    const fresh = rows.find((x) => x[0] !== oldRS);
    return rows.length === 2 && old?.slice(1, 4).join(' ') === '0 0 0' && fresh?.slice(1, 4).join(' ') === '3 3 3' ? fresh[0] : undefined;
  }, { ms: 60_000, last: () => last });
  for (const p of pods) assert.ok(p.startsWith(`${newRS}-`), `${p} belongs to ${newRS}`);

  for (const p of pods) {
    const answer = await f.mk('exec', p, '--', 'wget', '-qO-', `http://127.0.0.1:${ECHO_PORT}/`);
    ok(answer, `exec wget in ${p}`);
    assert.equal(answer.stdout, `Hello, world!\nVersion: 2.0.0\nHostname: ${p}\n`);
  }
});

test('deleting the Deployment removes its ReplicaSets, pods and containers', async () => {
  const r = await f.mk('delete', 'deployment', 'hello');
  ok(r, 'delete');
  assert.equal(r.stdout, 'deployment.apps "hello" deleted\n');
  let last = '';
  await poll('no hello ReplicaSets', async () => {
    const rs = await f.mk('get', 'rs');
    last = rs.stdout + rs.stderr;
    return /^hello-/m.test(rs.stdout) ? undefined : true;
  }, { ms: 30_000, last: () => last });
  assert.equal(last, 'No resources found in default namespace.\n');
  await poll('no hello pods', async () => {
    const p = await helloPods();
    last = p.text;
    return p.rows.length === 0 ? true : undefined;
  }, { ms: 60_000, last: () => last });
  await poll('no pod containers in Docker', async () => (podContainers().length === 0 ? true : undefined), { ms: 60_000, last: () => podContainers().join('\n') });
  const deploy = await f.mk('get', 'deploy');
  assert.equal(deploy.stdout + deploy.stderr, 'No resources found in default namespace.\n');
});
