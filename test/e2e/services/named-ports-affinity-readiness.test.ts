// Seed 002 (and 000's selector-less Service) on a real 2-node cluster: the kubia Service with
// named ports http/https resolved per pod from the container ports (the echo image listening on
// 8080 and 8443), sessionAffinity ClientIP (20 requests from one pod, one backend); the
// NodePort 30123 answering from the host on both nodes' IPs; a pod whose readinessProbe is
// `exec ls /var/ready` listed under notReadyAddresses until `mk exec … touch /var/ready`, and
// back there after `rm`; external-service with hand-written Endpoints 11.11.11.11 and
// 22.22.22.22 as describe and get ep show them (nothing ever connects to those addresses).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_IMAGES } from '../../images/index.ts';
import { busyboxPod, endpoints, fromPod, hostGet, hostnameOf, json, KUBECTL_127, maskTrailingAge, nodeIPs, ok, poll, squash, startFlow, uniq, type Flow } from '../flows/cluster.ts';

let f: Flow;

// the echo server on both of kubia's named ports (luksa/kubia answers on 8080 and 8443)
const container = `      - name: kubia
        image: ${TEST_IMAGES.echo}
        imagePullPolicy: IfNotPresent
        command: ["sh", "-c", "nc -ll -p 8443 -e /bin/handler & exec nc -ll -p 8080 -e /bin/handler"]
        ports:
        - name: http
          containerPort: 8080
        - name: https
          containerPort: 8443
`;

const KUBIA = `apiVersion: apps/v1
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
      terminationGracePeriodSeconds: 1
      containers:
${container}---
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  sessionAffinity: ClientIP
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: https
    port: 443
    targetPort: https
  selector:
    app: kubia
---
apiVersion: v1
kind: Service
metadata:
  name: kubia-nodeport
spec:
  type: NodePort
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 30123
  selector:
    app: kubia
---
${busyboxPod()}`;

// one more kubia pod, ready only while /var/ready exists (the seed's readinessProbe, period 2 s)
const MANUAL = `apiVersion: v1
kind: Pod
metadata:
  name: kubia-manual
  labels:
    app: kubia
spec:
  terminationGracePeriodSeconds: 1
  containers:
${container.replace(/^ {4}/gm, '')}    readinessProbe:
      periodSeconds: 2
      exec:
        command:
        - ls
        - /var/ready
`;

const EXTERNAL_SVC = `apiVersion: v1
kind: Service
metadata:
  name: external-service
spec:
  ports:
  - port: 80
`;

const EXTERNAL_EP = `apiVersion: v1
kind: Endpoints
metadata:
  name: external-service
subsets:
  - addresses:
    - ip: 11.11.11.11
    - ip: 22.22.22.22
    ports:
    - port: 80
`;

let kubiaPods: string[] = [];
let clusterIP = '';

before(async () => {
  f = await startFlow('svc002');
  const r = await f.mk('apply', '-f', f.file('kubia.yaml', KUBIA));
  ok(r, 'apply');
  assert.equal(r.stdout, 'replicaset.apps/kubia created\nservice/kubia created\nservice/kubia-nodeport created\npod/client created\n');
  const ep = await poll('3 kubia pods in Endpoints kubia and the client running', async () => {
    const e = await endpoints(f, 'kubia');
    const client = await json(f, 'pod', 'client');
    return e.readyPods.length === 3 && client.status?.phase === 'Running' ? e : undefined;
  }, { ms: 120_000 });
  kubiaPods = ep.readyPods;
  clusterIP = (await json(f, 'svc', 'kubia')).spec.clusterIP;
}, { timeout: 240_000 });

after(async () => { await f?.teardown(); }, { timeout: 180_000 });

test('kubia: named targetPorts http/https resolve to each pod\'s 8080 and 8443', async () => {
  const eps = await endpoints(f, 'kubia');
  const ips = eps.ready.filter((a) => a.endsWith(':8080')).map((a) => a.split(':')[0]!);
  assert.equal(ips.length, 3);
  assert.deepEqual(eps.ready, [...ips.map((ip) => `${ip}:8080`), ...ips.map((ip) => `${ip}:8443`)].sort());
  const svc = await f.mk('get', 'svc', 'kubia');
  ok(svc, 'get svc');
  assert.equal(squash(maskTrailingAge(svc.stdout)), `NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE\nkubia ClusterIP ${clusterIP} <none> 80/TCP,443/TCP <age>\n`);
  const ep = await f.mk('get', 'ep', 'kubia');
  ok(ep, 'get ep');
  // seed 002: "10.44.0.1:8443,10.44.0.2:8443,10.44.0.3:8443 + 3 more..."
  assert.equal(squash(maskTrailingAge(ep.stdout)), `NAME ENDPOINTS AGE\nkubia ${[...ips].sort().map((ip) => `${ip}:8443`).join(',')} + 3 more... <age>\n`);
  const d = await f.mk('describe', 'svc', 'kubia');
  ok(d, 'describe svc');
  const at = (port: number) => [...ips].sort().map((ip) => `${ip}:${port}`).join(',');
  assert.equal(squash(d.stdout), [
    'Name: kubia', 'Namespace: default', 'Labels: <none>', 'Annotations: <none>', 'Selector: app=kubia', 'Type: ClusterIP',
    'IP Family Policy: SingleStack', 'IP Families: IPv4', `IP: ${clusterIP}`, `IPs: ${clusterIP}`,
    'Port: http 80/TCP', 'TargetPort: http/TCP', `Endpoints: ${at(8080)}`,
    'Port: https 443/TCP', 'TargetPort: https/TCP', `Endpoints: ${at(8443)}`,
    'Session Affinity: ClientIP', 'Internal Traffic Policy: Cluster', 'Events: <none>', '',
  ].join('\n'));
  const k = await f.kubectl('kubectl', 'describe', 'svc', 'kubia');
  ok(k, 'kubectl describe svc');
  assert.equal(k.stdout, d.stdout);
  for (const bin of ['kubectl', KUBECTL_127]) {
    const g = await f.kubectl(bin, 'get', 'svc,ep', 'kubia');
    ok(g, `${bin} get svc,ep`);
    assert.equal(maskTrailingAge(g.stdout), maskTrailingAge((await f.mk('get', 'svc,ep', 'kubia')).stdout), bin);
  }
  // both ports answer
  for (const port of [80, 443]) {
    const hosts = await fromPod(f, 'client', `http://${clusterIP}:${port}`, 2);
    for (const h of hosts) assert.ok(kubiaPods.includes(h), `${port}: ${h}`);
  }
});

test('kubia: sessionAffinity ClientIP sends 20 requests from one pod to one backend', async (t) => {
  const hosts = await fromPod(f, 'client', `http://${clusterIP}`, 20);
  assert.equal(uniq(hosts).length, 1, hosts.join(' '));
  assert.ok(kubiaPods.includes(hosts[0]!));
  // the same pods behind kubia-nodeport (no affinity) answer from more than one backend
  const np = await json(f, 'svc', 'kubia-nodeport');
  const spread = uniq(await fromPod(f, 'client', `http://${np.spec.clusterIP}`, 12));
  t.diagnostic(`affinity: ${hosts[0]} ×20; without affinity: ${spread.join(' ')}`);
  assert.ok(spread.length > 1, spread.join(' '));
});

test('kubia-nodeport: 30123 answers from the host on both nodes\' IPs', async () => {
  const nodes = await nodeIPs(f);
  for (const { node, ip } of nodes) {
    const body = await poll(`${ip}:30123 to answer`, async () => hostGet(f, `http://${ip}:30123/`).catch(() => undefined), { ms: 30_000 });
    assert.match(body, /^Hello, world!\nVersion: 1\.0\.0\nHostname: kubia-\S+\n$/, node);
    assert.ok(kubiaPods.includes(hostnameOf(body)!), `${node}: ${body}`);
  }
  const svc = await json(f, 'svc', 'kubia-nodeport');
  const get = await f.mk('get', 'svc', 'kubia-nodeport');
  ok(get, 'get svc');
  assert.equal(squash(maskTrailingAge(get.stdout)), `NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE\nkubia-nodeport NodePort ${svc.spec.clusterIP} <none> 80:30123/TCP <age>\n`);
  const d = await f.mk('describe', 'svc', 'kubia-nodeport');
  ok(d, 'describe svc');
  for (const line of ['Type: NodePort', 'Port: <unset> 80/TCP', 'TargetPort: 8080/TCP', 'NodePort: <unset> 30123/TCP', 'Session Affinity: None', 'External Traffic Policy: Cluster']) {
    assert.ok(squash(d.stdout).split('\n').includes(line), `${line}\n${d.stdout}`);
  }
  const k = await f.kubectl('kubectl', 'describe', 'svc', 'kubia-nodeport');
  ok(k, 'kubectl describe svc');
  assert.equal(k.stdout, d.stdout);
});

test('readiness: /var/ready moves kubia-manual from notReadyAddresses into Endpoints and back', async (t) => {
  ok(await f.mk('apply', '-f', f.file('kubia-manual.yaml', MANUAL)), 'apply kubia-manual');
  const ip = await poll('kubia-manual under notReadyAddresses', async () => {
    const e = await endpoints(f, 'kubia');
    if (!e.notReadyPods.includes('kubia-manual')) return undefined;
    return (await json(f, 'pod', 'kubia-manual')).status.podIP as string;
  }, { ms: 60_000 });
  const hidden = async () => {
    const ep = await f.mk('get', 'ep', 'kubia', '-o', 'wide');
    ok(ep, 'get ep');
    const e = await endpoints(f, 'kubia');
    assert.ok(!e.ready.some((a) => a.startsWith(`${ip}:`)), `${ip} must not be ready`);
    assert.ok(!ep.stdout.includes(`${ip}:`), ep.stdout);
  };
  await hidden();

  const touch = await f.mk('exec', 'kubia-manual', '--', 'touch', '/var/ready');
  ok(touch, 'exec touch');
  let start = Date.now();
  const e = await poll('kubia-manual in Endpoints', async () => {
    const x = await endpoints(f, 'kubia');
    return x.readyPods.includes('kubia-manual') ? x : undefined;
  }, { ms: 30_000, everyMs: 100 });
  const inAfter = Date.now() - start;
  assert.deepEqual(e.ready.filter((a) => a.startsWith(`${ip}:`)), [`${ip}:8080`, `${ip}:8443`]);
  assert.deepEqual(e.notReady, []);
  const ep = await f.mk('get', 'ep', 'kubia');
  assert.match(ep.stdout, /^kubia\s+(\d+\.\d+\.\d+\.\d+:8443,){2}\d+\.\d+\.\d+\.\d+:8443 \+ 5 more\.\.\.\s+\S+$/m);

  const rm = await f.mk('exec', 'kubia-manual', '--', 'rm', '/var/ready');
  ok(rm, 'exec rm');
  start = Date.now();
  await poll('kubia-manual back under notReadyAddresses', async () => ((await endpoints(f, 'kubia')).notReadyPods.includes('kubia-manual') ? true : undefined), { ms: 30_000, everyMs: 100 });
  const outAfter = Date.now() - start;
  await hidden();
  t.diagnostic(`into Endpoints ${inAfter} ms after touch, out ${outAfter} ms after rm (period 2 s, failureThreshold 3; as seen through mk get)`);
});

test('external-service: hand-written Endpoints shown by describe and get ep (never dialled)', async () => {
  const s = await f.mk('create', '-f', f.file('external-service.yaml', EXTERNAL_SVC));
  ok(s, 'create svc');
  assert.equal(s.stdout, 'service/external-service created\n');
  const e = await f.kubectl('kubectl', 'create', '-f', f.file('external-service-endpoints.yaml', EXTERNAL_EP));
  ok(e, 'kubectl create ep');
  assert.equal(e.stdout, 'endpoints/external-service created\n');
  const d = await poll('describe to list both addresses', async () => {
    const r = await f.mk('describe', 'svc', 'external-service');
    return /^Endpoints:\s+11\.11\.11\.11:80,22\.22\.22\.22:80$/m.test(r.stdout) ? r.stdout : undefined;
  }, { ms: 20_000 });
  const ip = (await json(f, 'svc', 'external-service')).spec.clusterIP as string;
  // the seed's text, and the lines kubectl 1.20+ adds (IP families, internal traffic policy)
  assert.equal(squash(d), [
    'Name: external-service', 'Namespace: default', 'Labels: <none>', 'Annotations: <none>', 'Selector: <none>', 'Type: ClusterIP',
    'IP Family Policy: SingleStack', 'IP Families: IPv4', `IP: ${ip}`, `IPs: ${ip}`,
    'Port: <unset> 80/TCP', 'TargetPort: 80/TCP', 'Endpoints: 11.11.11.11:80,22.22.22.22:80',
    'Session Affinity: None', 'Internal Traffic Policy: Cluster', 'Events: <none>', '',
  ].join('\n'));
  const k = await poll('kubectl describe (EndpointSlices) to list both addresses', async () => {
    const r = await f.kubectl('kubectl', 'describe', 'svc', 'external-service');
    return r.stdout.includes('11.11.11.11:80,22.22.22.22:80') ? r.stdout : undefined;
  }, { ms: 20_000 });
  assert.equal(k, d);
  const k27 = await f.kubectl(KUBECTL_127, 'describe', 'svc', 'external-service');
  ok(k27, 'kubectl 1.27 describe');
  assert.equal(squash(k27.stdout), squash(d).split('\n').filter((l) => !l.startsWith('Internal Traffic Policy:')).join('\n'));
  const ep = await f.mk('get', 'ep', 'external-service');
  ok(ep, 'get ep');
  assert.equal(squash(maskTrailingAge(ep.stdout)), 'NAME ENDPOINTS AGE\nexternal-service 11.11.11.11:80,22.22.22.22:80 <age>\n');
  for (const bin of ['kubectl', KUBECTL_127]) {
    const g = await f.kubectl(bin, 'get', 'ep', 'external-service');
    assert.equal(maskTrailingAge(g.stdout), maskTrailingAge(ep.stdout), bin);
  }
});
