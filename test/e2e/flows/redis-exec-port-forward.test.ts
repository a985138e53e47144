// Seed 000 on a real 2-node cluster: the nodes as `get nodes -o wide` shows them (mk and real
// kubectl print the same table), pod `mwish-bot` running Debian's redis (mk-test/redis:7),
// `exec -- redis-cli set/get`, `port-forward` + the host's redis-cli, the same through real
// kubectl (the binary /version selects, and 1.27), the Service variables in the pod's
// environment, and `mk exec -it` driven in tmux.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { dockerRuntime } from '../../../src/runtime/index.ts';
import { ROOT } from '../harness.ts';
import { ensureRedisImage, REDIS_IMAGE } from '../../images/redis/index.ts';
import { KUBECTL_127, ensureHostTools, freePort, maskAge, ok, poll, podRows, startFlow, type Flow } from './cluster.ts';
import { SEED_000_SERVICE_ENV } from '../../fixtures/seeds/seed000-env.ts';

let f: Flow;

// Seed 000's manifests: two Services existing before the pod, so its environment lists them.
const manifests = `apiVersion: v1
kind: Service
metadata:
  name: mwish-bot
spec:
  ports:
  - port: 6379
  selector:
    app: mwish-bot
---
apiVersion: v1
kind: Service
metadata:
  name: mwish-bot-svc-redis
spec:
  ports:
  - name: redis-port
    port: 6379
    targetPort: 6379
  selector:
    app: mwish-bot
`;
const pod = `apiVersion: v1
kind: Pod
metadata:
  name: mwish-bot
  labels:
    app: mwish-bot
spec:
  containers:
  - name: mwish-bot
    image: ${REDIS_IMAGE}
    imagePullPolicy: IfNotPresent
    ports:
    - containerPort: 6379
`;

before(async () => {
  ensureHostTools();
  await ensureRedisImage(dockerRuntime());
  f = await startFlow('redis');
}, { timeout: 180_000 });

after(async () => { await f?.teardown(); }, { timeout: 180_000 });

test('get nodes -o wide: 2 Ready nodes; real kubectl prints the same table', async () => {
  const mine = await f.mk('get', 'nodes', '-o', 'wide');
  ok(mine, 'mk get nodes -o wide');
  const lines = mine.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/);
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, new RegExp(`^${f.profile}\\s+Ready\\s+control-plane\\s+\\S+\\s+v1\\.\\d+\\.\\d+\\s+\\d+\\.\\d+\\.0\\.2\\s+<none>\\s`));
  assert.match(lines[2]!, new RegExp(`^${f.profile}-m02\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.\\d+\\.\\d+\\s+\\d+\\.\\d+\\.0\\.3\\s+<none>\\s`));
  // CONTAINER-RUNTIME is the engine's own version, as on minikube's docker driver
  const engine = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
  for (const l of lines.slice(1)) assert.ok(l.endsWith(` docker://${engine}`), l);
  const theirs = await f.kubectl('kubectl', 'get', 'nodes', '-o', 'wide');
  ok(theirs, 'kubectl get nodes -o wide');
  assert.equal(maskAge(theirs.stdout), maskAge(mine.stdout));
});

test('seed 000: mwish-bot runs redis; exec set/get; the Service variables are in its environment', async () => {
  const svc = await f.mk('apply', '-f', f.file('p-svc.yaml', manifests));
  ok(svc, 'apply services');
  assert.equal(svc.stdout, 'service/mwish-bot created\nservice/mwish-bot-svc-redis created\n');
  const created = await f.mk('apply', '-f', f.file('mwish-bot.yaml', pod));
  ok(created, 'apply pod');
  assert.equal(created.stdout, 'pod/mwish-bot created\n');
  let last = '';
  await poll('mwish-bot Running 1/1', async () => {
    last = (await f.mk('get', 'pods')).stdout;
    const row = podRows(last).find((p) => p.name === 'mwish-bot');
    return row?.ready === '1/1' && row.status === 'Running' ? true : undefined;
  }, { last: () => last });
  assert.match(last, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nmwish-bot\s+1\/1\s+Running\s+0\s+\S+\n$/);

  const empty = await f.mk('exec', 'mwish-bot', '--', 'redis-cli', 'get', 'nmsl');
  ok(empty, 'exec get (unset)');
  assert.equal(empty.stdout, '\n');
  const set = await f.mk('exec', 'mwish-bot', '--', 'redis-cli', 'set', 'nmsl', '10');
  ok(set, 'exec set');
  assert.equal(set.stdout, 'OK\n');
  const get = await f.mk('exec', 'mwish-bot', '--', 'redis-cli', 'get', 'nmsl');
  ok(get, 'exec get');
  assert.equal(get.stdout, '10\n');

  const ips = await f.kubectl('kubectl', 'get', 'svc', 'mwish-bot', 'mwish-bot-svc-redis', '-o', 'jsonpath={.items[*].spec.clusterIP}');
  ok(ips, 'svc ips');
  const [botIP, redisIP] = ips.stdout.split(' ');
  const want = SEED_000_SERVICE_ENV.replaceAll('10.104.193.224', botIP!).replaceAll('10.98.79.92', redisIP!).split('\n').sort();
  const env = await f.mk('exec', 'mwish-bot', '--', 'env');
  ok(env, 'exec env');
  const got = env.stdout.split('\n').filter((l) => /^(MWISH_BOT|KUBERNETES)_/.test(l)).sort();
  assert.deepEqual(got, want);
  assert.match(env.stdout, /^HOSTNAME=mwish-bot$/m);
});

async function portForwardGet(file: string, what: string): Promise<void> {
  const local = await freePort(6379);
  const pf = f.spawn(file, ['port-forward', 'mwish-bot', `${local}:6379`]);
  try {
    await poll(`${what}: Forwarding from`, async () => (pf.output().includes(`Forwarding from 127.0.0.1:${local} -> 6379\n`) ? true : undefined), { ms: 20_000, last: pf.output });
    const r = spawnSync('redis-cli', ['-p', String(local), 'get', 'nmsl'], { encoding: 'utf8', timeout: 15_000 });
    assert.equal(r.stdout, '10\n', `${what}: host redis-cli -p ${local} get nmsl: ${r.stderr}`);
    await poll(`${what}: Handling connection`, async () => (pf.output().includes(`Handling connection for ${local}\n`) ? true : undefined), { ms: 10_000, last: pf.output });
    assert.match(pf.output(), new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${local} -> 6379\\nForwarding from \\[::1\\]:${local} -> 6379\\n`));
  } finally {
    await pf.stop();
  }
}

test('mk port-forward mwish-bot LOCAL:6379, then the host\'s redis-cli', async () => {
  await portForwardGet('mk', 'mk port-forward');
});

for (const bin of ['kubectl', KUBECTL_127]) {
  test(`${bin.split('/').pop()} exec and port-forward do the same`, async () => {
    const get = await f.kubectl(bin, 'exec', 'mwish-bot', '--', 'redis-cli', 'get', 'nmsl');
    ok(get, `${bin} exec get`);
    assert.equal(get.stdout, '10\n');
    const set = await f.kubectl(bin, 'exec', 'mwish-bot', '--', 'redis-cli', 'incr', 'hits');
    ok(set, `${bin} exec incr`);
    assert.match(set.stdout, /^\d+\n$/);
    await portForwardGet(bin, `${bin} port-forward`);
  });
}

test('mk exec -it in tmux: a prompt, a typed command runs, exit 3 is mk\'s exit code', async () => {
  const sock = `mk-flow-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
  const envs = Object.entries(f.env).map(([k, v]) => `${k}=${v}`).join(' ');
  const mkCmd = `cd ${ROOT} && env ${envs} ${process.execPath} bin/mk.js exec -it mwish-bot -- sh; echo "MK-EXIT=$?"; sleep 60`;
  tmux('new-session', '-d', '-s', 'flow', '-x', '120', '-y', '30', mkCmd);
  const screen = () => tmux('capture-pane', '-p', '-t', 'flow');
  try {
    await poll('a shell prompt', async () => (/^\/data # ?$/m.test(screen()) ? true : undefined), { ms: 20_000, last: screen });
    tmux('send-keys', '-t', 'flow', 'echo typed-$((6*7)); redis-cli get nmsl', 'Enter');
    await poll('the typed command\'s output', async () => (/^typed-42\r?\n"10"$/m.test(screen()) ? true : undefined), { ms: 15_000, last: screen });
    tmux('send-keys', '-t', 'flow', 'exit 3', 'Enter');
    await poll('mk to exit', async () => (/^MK-EXIT=\d+$/m.test(screen()) ? true : undefined), { ms: 15_000, last: screen });
    assert.match(screen(), /^MK-EXIT=3$/m);
  } finally {
    spawnSync('tmux', ['-L', sock, 'kill-server']);
  }
});
