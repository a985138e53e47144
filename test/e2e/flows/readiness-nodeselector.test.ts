// Seed 002 on a real 2-node cluster: a ReplicaSet of 3 whose readinessProbe is
// `exec ls /var/ready` shows 0/1 for every pod until `mk exec POD -- touch /var/ready` makes that
// one pod 1/1 (the others stay 0/1); a ReplicaSet with nodeSelector gpu=true stays Pending until
// `kubectl label node <worker> gpu=true`, then runs every replica on that node.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_IMAGES } from '../../images/index.ts';
import { ok, poll, podRows, startFlow, type Flow } from './cluster.ts';

let f: Flow;

const PERIOD = 2;

// kubia-replicaset-renameport.yaml from the seed, with the local busybox image standing in for
// luksa/kubia and a short probe period so the test stays short.
const readyRS = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    matchLabels:
      app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: ${TEST_IMAGES.busybox}
        imagePullPolicy: IfNotPresent
        command: ["sleep", "3600"]
        readinessProbe:
          periodSeconds: ${PERIOD}
          exec:
            command:
            - ls
            - /var/ready
        ports:
        - name: http
          containerPort: 8080
        - name: https
          containerPort: 8443
`;

const gpuRS = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: kubia-gpu
spec:
  replicas: 3
  selector:
    matchLabels:
      app: kubia-gpu
  template:
    metadata:
      labels:
        app: kubia-gpu
    spec:
      nodeSelector:
        gpu: "true"
      containers:
      - name: kubia
        image: ${TEST_IMAGES.busybox}
        imagePullPolicy: IfNotPresent
        command: ["sleep", "3600"]
`;

before(async () => {
  f = await startFlow('ready');
}, { timeout: 180_000 });

after(async () => { await f?.teardown(); }, { timeout: 180_000 });

async function pods(prefix: string, wide = false) {
  const r = await f.mk('get', 'pods', ...(wide ? ['-o', 'wide'] : []));
  ok(r, 'mk get pods');
  return { text: r.stdout, rows: podRows(r.stdout).filter((p) => p.name.startsWith(`${prefix}-`) && !p.name.slice(prefix.length + 1).includes('-')) };
}

test('seed 002: readinessProbe exec ls /var/ready: 0/1 each, then 1/1 for the pod that got the file', async () => {
  const r = await f.mk('apply', '-f', f.file('kubia-replicaset-renameport.yaml', readyRS));
  ok(r, 'apply');
  assert.equal(r.stdout, 'replicaset.apps/kubia created\n');

  let last = '';
  const running = await poll('3 kubia pods Running 0/1', async () => {
    const p = await pods('kubia');
    last = p.text;
    return p.rows.length === 3 && p.rows.every((x) => x.status === 'Running') ? p.rows : undefined;
  }, { last: () => last });
  for (const p of running) {
    assert.match(p.name, /^kubia-[a-z0-9]{5}$/);
    assert.equal(p.ready, '0/1', last);
  }
  // a few probe periods later nothing has changed: the file is still missing
  await poll('probes to have run', async () => {
    const d = await f.mk('describe', 'pod', running[0]!.name);
    last = d.stdout;
    return /Readiness probe failed/.test(d.stdout) ? d.stdout : undefined;
  }, { ms: 30_000, last: () => last });
  assert.match(last, new RegExp(`Readiness:\\s+exec \\[ls /var/ready\\] delay=0s timeout=1s period=${PERIOD}s #success=1 #failure=3`));
  assert.deepEqual((await pods('kubia')).rows.map((p) => p.ready), ['0/1', '0/1', '0/1']);

  const chosen = running[1]!.name;
  const touch = await f.mk('exec', chosen, '--', 'touch', '/var/ready');
  ok(touch, 'exec touch /var/ready');
  assert.equal(touch.stdout, '');
  const after = await poll(`${chosen} to show 1/1`, async () => {
    const p = await pods('kubia');
    last = p.text;
    return p.rows.find((x) => x.name === chosen)?.ready === '1/1' ? p.rows : undefined;
  }, { ms: 20_000, everyMs: 200, last: () => last });
  for (const p of after) assert.equal(p.ready, p.name === chosen ? '1/1' : '0/1', last);
  const rs = await f.mk('get', 'rs', 'kubia');
  ok(rs, 'get rs');
  assert.match(rs.stdout, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nkubia\s+3\s+3\s+1\s+\S+\n$/);
});

test('seed 002: nodeSelector gpu=true stays Pending until a node is labelled, then all run there', async () => {
  const r = await f.mk('apply', '-f', f.file('kubia-gpu.yaml', gpuRS));
  ok(r, 'apply');
  let last = '';
  const pending = await poll('3 kubia-gpu pods', async () => {
    const p = await pods('kubia-gpu', true);
    last = p.text;
    return p.rows.length === 3 ? p.rows : undefined;
  }, { last: () => last });
  for (const p of pending) {
    assert.equal(p.status, 'Pending', last);
    assert.equal(p.ready, '0/1', last);
    assert.equal(p.node, '<none>', last);
  }
  const worker = `${f.profile}-m02`;
  const label = await f.kubectl('kubectl', 'label', 'node', worker, 'gpu=true');
  ok(label, 'kubectl label node');
  assert.equal(label.stdout, `node/${worker} labeled\n`);
  const placed = await poll('3 kubia-gpu pods Running on the labelled node', async () => {
    const p = await pods('kubia-gpu', true);
    last = p.text;
    return p.rows.length === 3 && p.rows.every((x) => x.status === 'Running' && x.ready === '1/1') ? p.rows : undefined;
  }, { last: () => last });
  assert.deepEqual(placed.map((p) => p.node), [worker, worker, worker], last);
});
