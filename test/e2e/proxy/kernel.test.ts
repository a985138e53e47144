// The proxy's iptables mode (mk's default) on a real 2-node cluster, as seed 004's deep dive walks
// it with real kubectl: `kubectl expose` of a 2-replica hello-world, requests from a node and from a
// pod alternating hostnames, `iptables -t nat -L KUBE-SERVICES -n` on the nodes listing
// default/hello-world (KUBE-SVC-DZ6LTOHRG6HQWHYE) with its ClusterIP, its KUBE-SVC chain with one
// KUBE-SEP per replica (probability 0.5, then the last without), ClientIP affinity (`-m recent`),
// the NodePort Service on both nodes (KUBE-NODEPORTS → KUBE-EXT), a pod deleted in the middle of
// 200 requests (at most 2 fail, none reach it after), UDP through the kernel (a DNS responder
// behind a ClusterIP; its flows forgotten when its pod goes) and through kube-dns, and
// `mk proxy rules` with the mode and the connections per endpoint. One cluster for the file.
// Under MK_E2E_PROXY_MODE=userspace there are no kernel rules to look at: skipped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { endpointChain } from '../../../src/agent/proxy/iptables/names.ts';
import { ECHO_PORT, TEST_IMAGES } from '../../images/index.ts';
import { PROXY_MODE, busyboxPod, endpoints, fromNode, fromPod, hostGet, hostnameOf, loopScript, nodeIPs, ok, parseLoop, poll, startFlow, uniq, type Flow } from '../flows/cluster.ts';

const skip = PROXY_MODE === 'userspace' ? 'MK_E2E_PROXY_MODE=userspace: no kernel rules' : undefined;
let f: Flow;
let nodes: string[] = [];
const kubectl = (...args: string[]) => f.kubectl('kubectl', ...args);
const onNode = (node: string, ...cmd: string[]) => f.mk('ssh', '-p', f.profile, '-n', node, '--', ...cmd);

// seed 004's Deployment (gcr.io/google-samples/hello-app:1.0 is the echo image here), 2 replicas
const HELLO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello-world
spec:
  replicas: 2
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
        - containerPort: ${ECHO_PORT}
`;

// A UDP server for the kernel's UDP path: a DNS responder answering every query with its own pod IP
// (busybox's nslookup is the client), run by Node.js in the node image.
const RESPONDER = "const d=require('dgram').createSocket('udp4');const ip=Object.values(require('os').networkInterfaces()).flat().find(i=>i.family==='IPv4'&&!i.internal).address;d.on('message',(q,r)=>{let o=12;while(q[o])o+=q[o]+1;const a=Buffer.alloc(16);a.writeUInt16BE(0xc00c,0);a.writeUInt16BE(1,2);a.writeUInt16BE(1,4);a.writeUInt16BE(4,10);ip.split('.').forEach((x,i)=>a[12+i]=+x);const h=Buffer.from(q.subarray(0,o+5));h.writeUInt16BE(0x8180,2);h.writeUInt16BE(1,6);h.writeUInt32BE(0,8);d.send(Buffer.concat([h,a]),r.port,r.address)});d.bind(53);";
const udpManifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: responder
spec:
  replicas: 2
  selector:
    matchLabels: {app: responder}
  template:
    metadata:
      labels: {app: responder}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: responder
        image: ${image}
        imagePullPolicy: IfNotPresent
        command: ["node", "-e", ${JSON.stringify(RESPONDER)}]
---
apiVersion: v1
kind: Service
metadata:
  name: responder
spec:
  selector: {app: responder}
  ports:
  - {name: dns, port: 53, protocol: UDP}
`;

let clusterIP = '';
let pods: string[] = [];

before(async () => {
  if (skip) return;
  f = await startFlow('kernel');
  nodes = [f.profile, `${f.profile}-m02`];
  const nodeImage = execFileSync('docker', ['inspect', '-f', '{{.Config.Image}}', f.profile], { encoding: 'utf8' }).trim();
  ok(await kubectl('apply', '-f', f.file('hello.yaml', `${HELLO}---\n${busyboxPod()}---\n${udpManifest(nodeImage)}`)), 'apply');
  ok(await kubectl('expose', 'deployment', 'hello-world', '--port=80', '--target-port=8080'), 'kubectl expose');
  clusterIP = (await kubectl('get', 'svc', 'hello-world', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
  pods = await poll('2 hello-world pods ready and the client running', async () => {
    const ep = await endpoints(f, 'hello-world');
    const client = JSON.parse((await kubectl('get', 'pod', 'client', '-o', 'json')).stdout);
    return ep.readyPods.length === 2 && client.status?.phase === 'Running' ? ep.readyPods : undefined;
  }, { ms: 120_000, retryErrors: true });
}, { timeout: 300_000 });

after(async () => { await f?.teardown(); }, { timeout: 180_000 });

/** The rules of `chain` in the nat table of `node`, as `iptables -t nat -L CHAIN -n` prints them (header dropped). */
async function chain(node: string, name: string): Promise<string[]> {
  const r = await onNode(node, 'iptables', '-t', 'nat', '-L', name, '-n');
  ok(r, `iptables -t nat -L ${name} -n on ${node}`);
  return r.stdout.split('\n').slice(2).filter(Boolean);
}

/** A rule line's columns: target, prot, opt, source, destination, and the rest (comment, matches). */
function cols(line: string): { target: string; prot: string; source: string; destination: string; rest: string } {
  const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
  assert.ok(m, line);
  return { target: m[1]!, prot: m[2]!, source: m[4]!, destination: m[5]!, rest: m[6]! };
}
// iptables 1.8.9 (Debian 12) prints protocols by number; newer ones by name
const tcp = /^(tcp|6)$/;

test('seed 004, ClusterIP: requests from a node and from a pod alternate between the replicas', { skip }, async () => {
  for (const node of nodes) assert.deepEqual(uniq(await fromNode(f, node, `http://${clusterIP}/`, 16)), pods, node);
  assert.deepEqual(uniq(await fromPod(f, 'client', `http://${clusterIP}/`, 16)), pods);
});

test('iptables -t nat -L KUBE-SERVICES -n lists default/hello-world with its ClusterIP, on every node', { skip }, async () => {
  for (const node of nodes) {
    const lines = await chain(node, 'KUBE-SERVICES');
    const hello = lines.filter((l) => l.includes('/* default/hello-world cluster IP */')).map(cols);
    assert.equal(hello.length, 1, lines.join('\n'));
    assert.deepEqual(hello[0], { ...hello[0], target: 'KUBE-SVC-DZ6LTOHRG6HQWHYE', source: '0.0.0.0/0', destination: clusterIP, rest: '/* default/hello-world cluster IP */ tcp dpt:80' });
    assert.match(hello[0]!.prot, tcp);
    assert.match(lines.at(-1)!, /^KUBE-NODEPORTS .*\/\* kubernetes service nodeports; NOTE: this must be the last rule in this chain \*\/ ADDRTYPE match dst-type LOCAL$/);
  }
});

test('the KUBE-SVC chain: one KUBE-SEP per replica, probability 0.5 then the last without', { skip }, async () => {
  const ep = await endpoints(f, 'hello-world');
  const seps = ep.ready.map((e) => ({ ep: e, chain: endpointChain('default/hello-world', 'TCP', e) }));
  for (const node of nodes) {
    const [masq, ...toSeps] = (await chain(node, 'KUBE-SVC-DZ6LTOHRG6HQWHYE')).map(cols);
    assert.deepEqual([masq!.target, masq!.destination, masq!.rest], ['KUBE-MARK-MASQ', clusterIP, '/* default/hello-world cluster IP */ tcp dpt:80']);
    assert.deepEqual(toSeps.map((r) => [r.target, r.rest]), [
      [seps[0]!.chain, `/* default/hello-world -> ${seps[0]!.ep} */ statistic mode random probability 0.50000000000`],
      [seps[1]!.chain, `/* default/hello-world -> ${seps[1]!.ep} */`],
    ]);
    // and each endpoint chain DNATs to its pod
    for (const s of seps) assert.match((await chain(node, s.chain)).at(-1)!, new RegExp(`^DNAT .* tcp to:${s.ep.replaceAll('.', '\\.')}$`));
  }
});

test('sessionAffinity ClientIP: one replica answers every request, kept with -m recent', { skip }, async () => {
  ok(await kubectl('patch', 'svc', 'hello-world', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}'), 'patch ClientIP');
  try {
    await poll('the recent match in the KUBE-SVC chain', async () => ((await chain(f.profile, 'KUBE-SVC-DZ6LTOHRG6HQWHYE')).some((l) => l.includes('recent: CHECK seconds: 10800 reap')) ? true : undefined));
    const seen = await fromPod(f, 'client', `http://${clusterIP}/`, 12);
    assert.equal(uniq(seen).length, 1, seen.join(' '));
  } finally {
    ok(await kubectl('patch', 'svc', 'hello-world', '-p', '{"spec":{"sessionAffinity":"None","sessionAffinityConfig":null}}'), 'patch None');
  }
});

test('a pod deleted during a 200-request loop: at most 2 requests fail, and none reach it once it is gone', { skip }, async (t) => {
  const victim = pods[0]!;
  const loop = f.spawn('mk', ['exec', 'client', '--', 'sh', '-c', loopScript(`http://${clusterIP}/`, 200, 20_000)]);
  await poll('the loop under way', async () => (parseLoop(loop.stdout()).length >= 40 ? true : undefined), { ms: 60_000, everyMs: 50 });
  ok(await kubectl('delete', 'pod', victim, '--wait=false'), 'delete pod');
  const deletedAt = parseLoop(loop.stdout()).length;
  await poll('the loop done', async () => (/^done$/m.test(loop.stdout()) ? true : undefined), { ms: 120_000, everyMs: 100 });
  await loop.stop();
  const lines = parseLoop(loop.stdout());
  assert.equal(lines.length, 200, loop.stdout());
  const failed = lines.filter((l) => !l.ok);
  t.diagnostic(`pod deleted at request ${deletedAt}; ${failed.length} of 200 failed`);
  assert.ok(failed.length <= 2, `${failed.length} failures: ${JSON.stringify(failed)}`);
  // the loop outlives the deletion by seconds: its last quarter never meets the deleted pod
  assert.ok(deletedAt < 150, `deleted at request ${deletedAt}`);
  assert.deepEqual(lines.slice(150).filter((l) => l.host === victim), []);
  pods = await poll('2 replicas ready again', async () => {
    const ep = await endpoints(f, 'hello-world');
    return ep.readyPods.length === 2 && !ep.readyPods.includes(victim) ? ep.readyPods : undefined;
  }, { ms: 90_000, retryErrors: true });
});

test('UDP through the kernel: a DNS responder behind a ClusterIP answers from both replicas; its flows go with its pod', { skip }, async () => {
  const ip = (await kubectl('get', 'svc', 'responder', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
  const ready = await poll('2 responders ready', async () => {
    const ep = await endpoints(f, 'responder');
    return ep.ready.length === 2 ? ep : undefined;
  }, { ms: 90_000, retryErrors: true });
  const answers = new Set<string>();
  for (let i = 0; i < 16 && answers.size < 2; i++) {
    const r = await kubectl('exec', 'client', '--', 'nslookup', 'probe.test', ip);
    ok(r, 'nslookup probe.test through the ClusterIP');
    for (const m of r.stdout.matchAll(/^Address: (\S+)$/gm)) answers.add(m[1]!);
  }
  assert.deepEqual([...answers].sort(), ready.ready.map((e) => e.split(':')[0]!).sort());
  // the client's node holds the UDP flows; deleting a responder clears the ones NATed to it
  const clientNode = (await kubectl('get', 'pod', 'client', '-o', 'jsonpath={.spec.nodeName}')).stdout;
  const gone = ready.ready[0]!.split(':')[0]!;
  const flowsTo = async (podIP: string) => (await onNode(clientNode, 'conntrack', '-L', '-p', 'udp', '--orig-dst', ip)).stdout.split('\n').filter((l) => l.includes(`src=${podIP} `)).length;
  assert.ok(await flowsTo(gone) > 0, 'the queries left UDP flows to each responder');
  const byIP = JSON.parse((await kubectl('get', 'pods', '-l', 'app=responder', '-o', 'json')).stdout).items.find((p: any) => p.status?.podIP === gone);
  ok(await kubectl('delete', 'pod', byIP.metadata.name, '--wait=false'), 'delete a responder');
  await poll(`no UDP flow to ${gone} left on ${clientNode}`, async () => ((await flowsTo(gone)) === 0 ? true : undefined), { ms: 30_000 });
});

test('UDP DNS through the kube-dns ClusterIP works', { skip }, async () => {
  const r = await kubectl('exec', 'client', '--', 'nslookup', 'hello-world.default.svc.cluster.local');
  ok(r, 'nslookup hello-world');
  assert.match(r.stdout, new RegExp(`^Server:\\s+10\\.96\\.0\\.10`, 'm'));
  assert.match(r.stdout, new RegExp(`^Address: ${clusterIP.replaceAll('.', '\\.')}$`, 'm'));
});

test('mk proxy rules: iptables mode, the connections each endpoint took and their packets', { skip }, async () => {
  const r = await f.mk('proxy', 'rules', '-p', f.profile, '-n', f.profile);
  ok(r, 'mk proxy rules');
  assert.match(r.stdout, /^Mode: iptables \(kube-proxy's rules in the node's nat table/m);
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('default/hello-world ') && /KUBE-SEP-/.test(l));
  assert.equal(rows.length, 2, r.stdout);
  assert.match(r.stdout, /^SERVICE\s+ENDPOINT\s+CHAIN\s+CONNECTIONS\s+PACKETS$/m);
  for (const row of rows) assert.match(row, /^default\/hello-world\s+\d+\.\d+\.\d+\.\d+:8080\s+KUBE-SEP-[A-Z2-7]{16}\s+\d+( \(\d+%\))?\s+\d+$/);
});

test('seed 004, NodePort: KUBE-NODEPORTS → KUBE-EXT → KUBE-SVC, and the nodePort answers on both nodes', { skip }, async () => {
  ok(await kubectl('delete', 'svc', 'hello-world'), 'delete the ClusterIP Service');
  ok(await kubectl('expose', 'deployment', 'hello-world', '--target-port=8080', '--type=NodePort'), 'expose --type=NodePort');
  const svc = JSON.parse((await kubectl('get', 'svc', 'hello-world', '-o', 'json')).stdout);
  const nodePort = svc.spec.ports[0].nodePort as number;
  assert.equal(svc.spec.ports[0].port, 8080);
  for (const node of nodes) {
    const np = await poll(`the nodePort rule on ${node}`, async () => (await chain(node, 'KUBE-NODEPORTS')).map(cols).find((r) => r.rest.endsWith(`dpt:${nodePort}`)));
    assert.deepEqual([np.target, np.rest], ['KUBE-EXT-DZ6LTOHRG6HQWHYE', `/* default/hello-world */ tcp dpt:${nodePort}`]);
    assert.deepEqual((await chain(node, 'KUBE-EXT-DZ6LTOHRG6HQWHYE')).map(cols).map((r) => [r.target, r.rest]), [
      ['KUBE-MARK-MASQ', '/* masquerade traffic for default/hello-world external destinations */'],
      ['KUBE-SVC-DZ6LTOHRG6HQWHYE', ''],
    ]);
    // the tutorial's `curl 127.0.0.1:30583` on the node
    const local = await onNode(node, 'wget', '-qO-', `http://127.0.0.1:${nodePort}/`);
    ok(local, `127.0.0.1:${nodePort} on ${node}`);
    assert.match(local.stdout, /^Hello, world!\n/);
  }
  for (const { node, ip } of await nodeIPs(f)) {
    const seen = new Set<string>();
    for (let i = 0; i < 16 && seen.size < 2; i++) seen.add(hostnameOf(await hostGet(f, `http://${ip}:${nodePort}/`))!);
    assert.deepEqual([...seen].sort(), pods, node);
  }
});
