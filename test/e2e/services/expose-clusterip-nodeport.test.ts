// Seed 004 on a real 2-node cluster: the hello-world Deployment (echo image for hello-app, 3
// replicas) exposed with `mk expose … --port=80 --target-port=8080`; the ClusterIP answers from
// every replica from a busybox pod, from each node (`mk ssh`) and from a replica itself; a
// Service without endpoints fails a request at once; a second, NodePort Service
// answers at `$(mk ip):<nodePort>` from the host; real kubectl (the dispatcher and 1.27) exposes
// the same Service mk does and prints get svc,ep / describe svc as mk does; deleting a pod during
// a bounded request loop through the ClusterIP fails no request once Endpoints drop it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_IMAGES } from '../../images/index.ts';
import { EVERY_REPLICA, busyboxPod, endpoints, everyReplica, fromNode, fromPod, hostGet, hostnameOf, json, KUBECTL_127, loopScript, maskTrailingAge, nodeIPs, ok, parseLoop, poll, squash, startFlow, uniq, type Flow } from '../flows/cluster.ts';

let f: Flow;
let pods: string[] = [];
let clusterIP = '';

// The seed's Deployment with 3 replicas, the local echo image standing in for hello-app, and a
// short grace period (the echo's nc ignores SIGTERM) so a deleted pod dies during the loop.
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello-world
spec:
  replicas: 3
  selector:
    matchLabels:
      app: hello-world
  template:
    metadata:
      labels:
        app: hello-world
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: hello-world
        image: ${TEST_IMAGES.echo}
        imagePullPolicy: IfNotPresent
        ports:
        - containerPort: 8080
---
${busyboxPod()}`;

before(async () => {
  f = await startFlow('svc004');
  ok(await f.mk('apply', '-f', f.file('hello-world.yaml', MANIFEST)), 'apply');
  await poll('3 hello-world pods and the client Running', async () => {
    const list = await json(f, 'pods');
    const running = list.items.filter((p: any) => p.status?.phase === 'Running' && p.status?.podIP);
    return running.length === 4 ? running : undefined;
  }, { ms: 120_000 });
}, { timeout: 240_000 });

after(async () => { await f?.teardown(); }, { timeout: 180_000 });

test('mk expose deployment hello-world --port=80 --target-port=8080', async () => {
  const r = await f.mk('expose', 'deployment', 'hello-world', '--port=80', '--target-port=8080');
  ok(r, 'expose');
  assert.equal(r.stdout, 'service/hello-world exposed\n');
  clusterIP = (await json(f, 'svc', 'hello-world')).spec.clusterIP;
  assert.match(clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  const svc = await f.mk('get', 'svc');
  ok(svc, 'get svc');
  assert.equal(squash(maskTrailingAge(svc.stdout)), [
    'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE',
    `hello-world ClusterIP ${clusterIP} <none> 80/TCP <age>`,
    'kubernetes ClusterIP 10.96.0.1 <none> 443/TCP <age>',
    '',
  ].join('\n'));
  const ep = await poll('3 ready addresses in Endpoints hello-world', async () => {
    const e = await endpoints(f, 'hello-world');
    return e.ready.length === 3 ? e : undefined;
  });
  pods = ep.readyPods;
  assert.equal(pods.length, 3);
  for (const a of ep.ready) assert.match(a, /^\d+\.\d+\.\d+\.\d+:8080$/);
});

test('from a busybox pod, the ClusterIP answers from every replica', async () => {
  const hosts = await fromPod(f, 'client', `http://${clusterIP}`, EVERY_REPLICA);
  assert.deepEqual(uniq(hosts), pods);
});

test('from each node (mk ssh), the ClusterIP answers from every replica', async () => {
  for (const node of [f.profile, `${f.profile}-m02`]) {
    const hosts = await fromNode(f, node, `http://${clusterIP}`, EVERY_REPLICA);
    assert.deepEqual(uniq(hosts), pods, node);
  }
});

test('a replica reaches its own Service, itself included', async () => {
  const hosts = await fromPod(f, pods[0]!, `http://${clusterIP}`, EVERY_REPLICA);
  assert.deepEqual(uniq(hosts), pods);
});

test('a Service without endpoints fails a request at once (no hang)', async () => {
  const r = await f.mk('expose', 'deployment', 'hello-world', '--name=nobody', '--selector=app=nobody', '--port=80', '--target-port=8080');
  ok(r, 'expose nobody');
  assert.equal(r.stdout, 'service/nobody exposed\n');
  const ip = (await json(f, 'svc', 'nobody')).spec.clusterIP as string;
  // kube-proxy rejects (ICMP: "Connection refused"); a user-space listener has accepted the
  // handshake already, so the proxy resets: wget says "Connection reset by peer". Either way at once.
  const failed = new RegExp(`^wget: (can't connect to remote host \\(${ip.replaceAll('.', '\\.')}\\): Connection refused|error getting response: Connection reset by peer)\ncommand terminated with exit code 1\n$`);
  for (let i = 0; i < 3; i++) {
    const w = await f.mk('exec', 'client', '--', 'wget', '-qO-', `http://${ip}`);
    assert.equal(w.exitCode, 1, w.stdout);
    assert.equal(w.stdout, '');
    assert.match(w.stderr, failed);
  }
  ok(await f.mk('delete', 'svc', 'nobody'), 'delete svc nobody');
});

test('--type=NodePort answers at $(mk ip):<nodePort> from the host', async () => {
  const r = await f.mk('expose', 'deployment', 'hello-world', '--target-port=8080', '--type=NodePort', '--name=hello-world-nodeport');
  ok(r, 'expose NodePort');
  assert.equal(r.stdout, 'service/hello-world-nodeport exposed\n');
  const svc = await json(f, 'svc', 'hello-world-nodeport');
  const nodePort: number = svc.spec.ports[0].nodePort;
  assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
  const get = await f.mk('get', 'svc', 'hello-world-nodeport');
  ok(get, 'get svc');
  assert.equal(squash(maskTrailingAge(get.stdout)), `NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE\nhello-world-nodeport NodePort ${svc.spec.clusterIP} <none> 8080:${nodePort}/TCP <age>\n`);
  const ip = (await f.mk('ip', '-p', f.profile)).stdout.trim();
  assert.equal(ip, (await nodeIPs(f))[0]!.ip);
  const body = await poll(`http://${ip}:${nodePort}/ to answer`, async () => hostGet(f, `http://${ip}:${nodePort}/`).catch(() => undefined), { ms: 30_000 });
  assert.match(body, /^Hello, world!\nVersion: 1\.0\.0\nHostname: hello-world-\S+\n$/);
  assert.deepEqual(await everyReplica(pods, async () => hostnameOf(await hostGet(f, `http://${ip}:${nodePort}/`))!), pods);
});

test('real kubectl expose builds the Service mk expose builds', async () => {
  for (const [bin, name] of [['kubectl', 'hello-kubectl'], [KUBECTL_127, 'hello-kubectl127']] as const) {
    const r = await f.kubectl(bin, 'expose', 'deployment', 'hello-world', '--port=80', '--target-port=8080', `--name=${name}`);
    ok(r, `${bin} expose`);
    assert.equal(r.stdout, `service/${name} exposed\n`);
    const theirs = await json(f, 'svc', name);
    const ours = await json(f, 'svc', 'hello-world');
    for (const k of ['type', 'selector', 'ports', 'sessionAffinity', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy']) {
      assert.deepEqual(theirs.spec[k], ours.spec[k], `${bin}: spec.${k}`);
    }
    assert.deepEqual(theirs.metadata.labels, ours.metadata.labels, `${bin}: labels`);
  }
  await poll('Endpoints for the kubectl-made Services', async () =>
    (await endpoints(f, 'hello-kubectl')).ready.length === 3 && (await endpoints(f, 'hello-kubectl127')).ready.length === 3 ? true : undefined);
  const hosts = await fromPod(f, 'client', `http://${(await json(f, 'svc', 'hello-kubectl')).spec.clusterIP}`, EVERY_REPLICA);
  assert.deepEqual(uniq(hosts), pods);
});

test('kubectl get svc,ep and describe svc print what mk prints', async () => {
  const mkGet = await f.mk('get', 'svc,ep');
  ok(mkGet, 'mk get svc,ep');
  assert.match(mkGet.stdout, new RegExp(`^service/hello-world\\s+ClusterIP\\s+${clusterIP.replaceAll('.', '\\.')}\\s+<none>\\s+80/TCP\\s+\\S+$`, 'm'));
  assert.match(mkGet.stdout, /^endpoints\/hello-world\s+(\d+\.\d+\.\d+\.\d+:8080,){2}\d+\.\d+\.\d+\.\d+:8080\s+\S+$/m);
  for (const bin of ['kubectl', KUBECTL_127]) {
    const k = await f.kubectl(bin, 'get', 'svc,ep');
    ok(k, `${bin} get svc,ep`);
    assert.equal(maskTrailingAge(k.stdout), maskTrailingAge(mkGet.stdout), bin);
  }
  const mkDesc = await f.mk('describe', 'svc', 'hello-world');
  ok(mkDesc, 'mk describe svc');
  assert.match(mkDesc.stdout, /^Endpoints:\s+(\d+\.\d+\.\d+\.\d+:8080,){2}\d+\.\d+\.\d+\.\d+:8080$/m);
  assert.match(mkDesc.stdout, /^Session Affinity:\s+None$/m);
  const k = await f.kubectl('kubectl', 'describe', 'svc', 'hello-world');
  ok(k, 'kubectl describe svc');
  assert.equal(k.stdout, mkDesc.stdout);
  // kubectl 1.27 predates the Internal Traffic Policy line and so aligns on a shorter label
  const k27 = await f.kubectl(KUBECTL_127, 'describe', 'svc', 'hello-world');
  ok(k27, 'kubectl 1.27 describe svc');
  assert.equal(squash(k27.stdout), squash(mkDesc.stdout).split('\n').filter((l) => !l.startsWith('Internal Traffic Policy:')).join('\n'));
});

test('deleting a pod during a request loop through the ClusterIP: no failure once Endpoints drop it', async (t) => {
  const eps = await endpoints(f, 'hello-world');
  assert.equal(eps.ready.length, 3);
  const victim = eps.readyPods[0]!;
  const victimIP = (await json(f, 'pod', victim)).status.podIP as string;
  const loop = f.spawn('mk', ['exec', 'client', '--', 'sh', '-c', loopScript(`http://${clusterIP}`, 200, 50_000)]);
  try {
    await poll('20 requests done', async () => (parseLoop(loop.output()).length >= 20 ? true : undefined), { ms: 60_000 });
    const del = await f.mk('delete', 'pod', victim, '--wait=false');
    ok(del, 'delete pod');
    assert.equal(del.stdout, `pod "${victim}" deleted\n`);
    const atDelete = parseLoop(loop.output()).length;
    await poll(`${victimIP} to leave Endpoints`, async () => ((await endpoints(f, 'hello-world')).ready.some((a) => a.startsWith(`${victimIP}:`)) ? undefined : true), { everyMs: 100 });
    const atUpdate = parseLoop(loop.output()).length;
    await poll(`${victim} gone`, async () => ((await f.mk('get', 'pod', victim)).exitCode !== 0 ? true : undefined), { ms: 60_000 });
    const atGone = parseLoop(loop.output()).length;
    await poll('the loop to end', async () => (/^done$/m.test(loop.output()) ? true : undefined), { ms: 120_000 });
    const lines = parseLoop(loop.output());
    assert.equal(lines.length, 200, loop.output());
    const failedBefore = lines.slice(0, atUpdate).filter((l) => !l.ok);
    const failedAfter = lines.slice(atUpdate).filter((l) => !l.ok);
    t.diagnostic(`200 requests; pod deleted after ${atDelete}, out of Endpoints after ${atUpdate}, gone after ${atGone}; failures before the Endpoints update: ${failedBefore.length}, after: ${failedAfter.length}`);
    assert.ok(atGone < 200, `the pod must be gone while the loop still runs (gone after request ${atGone})`);
    assert.deepEqual(failedAfter, []);
    assert.ok(lines.slice(atGone).every((l) => l.host !== victim), 'no answer from the deleted pod once it is gone');
  } finally {
    await loop.stop();
  }
});
