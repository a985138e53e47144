// Seed 003 on a real 2-node cluster: the httpd Deployment (3 replicas, labels as the seed; the
// echo image listening on the seed's containerPort 80 stands in for httpd) behind httpd-svc
// 8080→80: get svc as the seed shows it, the ClusterIP:8080 answers from the seed's clientpod
// from every replica, describe svc lists the 3 endpoints on its Endpoints line (as real kubectl
// does); then the seed's NodePort version (nodePort 30144), applied with real kubectl, keeps
// the ClusterIP and answers from the host on both nodes' IPs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_IMAGES } from '../../images/index.ts';
import { EVERY_REPLICA, endpoints, everyReplica, fromPod, hostGet, hostnameOf, json, KUBECTL_127, maskTrailingAge, nodeIPs, ok, poll, squash, startFlow, uniq, type Flow } from '../flows/cluster.ts';

let f: Flow;
let pods: string[] = [];
let clusterIP = '';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpd
spec:
  replicas: 3
  selector:
    matchLabels:
      app: httpd
  template:
    metadata:
      labels:
        app: httpd
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: httpd
          image: ${TEST_IMAGES.echo}
          imagePullPolicy: IfNotPresent
          command: ["nc", "-ll", "-p", "80", "-e", "/bin/handler"]
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: clientpod
spec:
  containers:
  - name: clientpod
    image: ${TEST_IMAGES.busybox}
    imagePullPolicy: IfNotPresent
    args:
    - /bin/sh
    - -c
    - sleep 30000
`;

const service = (nodePort?: number) => `apiVersion: v1
kind: Service
metadata:
  name: httpd-svc
spec:
${nodePort ? '  type: NodePort\n' : ''}  selector:
    app: httpd
  ports:
  - protocol: TCP
    port: 8080
    targetPort: 80
${nodePort ? `    nodePort: ${nodePort}\n` : ''}`;

before(async () => {
  f = await startFlow('svc003');
  ok(await f.mk('apply', '-f', f.file('httpd-deployment.yaml', DEPLOYMENT)), 'apply deployment');
  await poll('3 httpd pods and the clientpod Running', async () => {
    const list = await json(f, 'pods');
    return list.items.filter((p: any) => p.status?.phase === 'Running').length === 4 ? true : undefined;
  }, { ms: 120_000 });
}, { timeout: 240_000 });

after(async () => { await f?.teardown(); }, { timeout: 180_000 });

test('httpd-svc 8080→80: get svc as the seed shows it, answers on ClusterIP:8080 from every replica', async () => {
  const r = await f.mk('apply', '-f', f.file('httpd-service.yaml', service()));
  ok(r, 'apply service');
  assert.equal(r.stdout, 'service/httpd-svc created\n');
  clusterIP = (await json(f, 'svc', 'httpd-svc')).spec.clusterIP;
  const get = await f.mk('get', 'svc');
  ok(get, 'get svc');
  assert.equal(squash(maskTrailingAge(get.stdout)), [
    'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE',
    `httpd-svc ClusterIP ${clusterIP} <none> 8080/TCP <age>`,
    'kubernetes ClusterIP 10.96.0.1 <none> 443/TCP <age>',
    '',
  ].join('\n'));
  const ep = await poll('3 ready addresses in Endpoints httpd-svc', async () => {
    const e = await endpoints(f, 'httpd-svc');
    return e.ready.length === 3 ? e : undefined;
  });
  pods = ep.readyPods;
  for (const a of ep.ready) assert.match(a, /^\d+\.\d+\.\d+\.\d+:80$/);
  const hosts = await fromPod(f, 'clientpod', `http://${clusterIP}:8080`, EVERY_REPLICA);
  assert.deepEqual(uniq(hosts), pods);
});

test('describe svc httpd-svc lists the 3 endpoints, as real kubectl does', async () => {
  const eps = await endpoints(f, 'httpd-svc');
  const d = await f.mk('describe', 'svc', 'httpd-svc');
  ok(d, 'describe svc');
  const line = /^Endpoints:\s+(\S+)$/m.exec(d.stdout)?.[1] ?? '';
  assert.deepEqual(line.split(',').sort(), eps.ready, d.stdout);
  assert.match(line, /^\d+\.\d+\.\d+\.\d+:80,\d+\.\d+\.\d+\.\d+:80,\d+\.\d+\.\d+\.\d+:80$/);
  assert.match(d.stdout, /^Port:\s+<unset>  8080\/TCP\nTargetPort:\s+80\/TCP\nEndpoints:/m);
  const k = await f.kubectl('kubectl', 'describe', 'svc', 'httpd-svc');
  ok(k, 'kubectl describe svc');
  assert.equal(k.stdout, d.stdout);
  const k27 = await f.kubectl(KUBECTL_127, 'describe', 'svc', 'httpd-svc');
  ok(k27, 'kubectl 1.27 describe svc');
  assert.equal(squash(k27.stdout), squash(d.stdout).split('\n').filter((l) => !l.startsWith('Internal Traffic Policy:')).join('\n'));
});

test('the NodePort version (30144), applied with kubectl, answers from the host on both nodes', async () => {
  const r = await f.kubectl('kubectl', 'apply', '-f', f.file('httpd-service-nodeport.yaml', service(30144)));
  ok(r, 'kubectl apply');
  assert.equal(r.stdout, 'service/httpd-svc configured\n');
  const svc = await json(f, 'svc', 'httpd-svc');
  assert.equal(svc.spec.clusterIP, clusterIP);
  const get = await f.mk('get', 'svc', 'httpd-svc');
  ok(get, 'get svc');
  assert.equal(squash(maskTrailingAge(get.stdout)), `NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE\nhttpd-svc NodePort ${clusterIP} <none> 8080:30144/TCP <age>\n`);
  const k = await f.kubectl(KUBECTL_127, 'get', 'svc', 'httpd-svc');
  assert.equal(maskTrailingAge(k.stdout), maskTrailingAge(get.stdout));
  for (const { node, ip } of await nodeIPs(f)) {
    const seen = new Set<string>();
    const first = await poll(`${ip}:30144 to answer`, async () => hostGet(f, `http://${ip}:30144/`).catch(() => undefined), { ms: 30_000 });
    seen.add(hostnameOf(first)!);
    for (const h of await everyReplica(pods, async () => {
      const body = await hostGet(f, `http://${ip}:30144/`);
      assert.match(body, /^Hello, world!\nVersion: 1\.0\.0\nHostname: httpd-\S+\n$/, node);
      return hostnameOf(body)!;
    })) seen.add(h);
    assert.deepEqual([...seen].sort(), pods, node);
  }
  // the ClusterIP port keeps answering
  const hosts = await fromPod(f, 'clientpod', `http://${clusterIP}:8080`, EVERY_REPLICA);
  assert.deepEqual(uniq(hosts), pods);
});
