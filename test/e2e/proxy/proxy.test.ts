// The proxy on a real 2-node cluster (`mk start --nodes 2` under a random profile): a
// Deployment of 3 echo pods behind a NodePort Service; repeated requests to the ClusterIP from a
// pod and from a node answer from every replica; the nodePort answers from the host at each
// node's IP; the `kubernetes` Service reaches the API server from a pod; `mk proxy rules` lists
// what each node serves, in the mode the cluster runs (MK_E2E_PROXY_MODE, else iptables).
// Everything labelled with the profile is removed in `after`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ECHO_PORT } from '../../images/index.ts';
import { PROXY_MODE, busyboxPod, echoDeployment, everyReplica, hostGet, hostnameOf, ok, poll, startFlow, type Flow, type Result } from '../flows/cluster.ts';

let f: Flow;
let profile = '';
let worker = '';
const mk = (...args: string[]) => f.mk(...args);
const kubectl = (...args: string[]) => f.kubectl('kubectl', ...args);

const MANIFEST = `${echoDeployment('echo', { replicas: 3, portName: 'http' })}---
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
${busyboxPod()}`;

let clusterIP = '';
let nodePort = 0;
let pods: string[] = [];

before(async () => {
  f = await startFlow('proxy');
  profile = f.profile;
  worker = `${profile}-m02`;
  ok(await kubectl('apply', '-f', f.file('echo.yaml', MANIFEST)), 'apply');
  const svc = JSON.parse((await kubectl('get', 'svc', 'echo', '-o', 'json')).stdout);
  clusterIP = svc.spec.clusterIP;
  nodePort = svc.spec.ports[0].nodePort;
  pods = await poll('3 echo pods in the Endpoints and the client running', async () => {
    const ep = JSON.parse((await kubectl('get', 'endpoints', 'echo', '-o', 'json')).stdout);
    const ready = (ep.subsets ?? []).flatMap((s: any) => s.addresses ?? []);
    const client = JSON.parse((await kubectl('get', 'pod', 'client', '-o', 'json')).stdout);
    if (ready.length !== 3 || client.status?.phase !== 'Running') return undefined;
    return ready.map((a: any) => a.targetRef?.name as string).sort();
  }, { ms: 90_000, retryErrors: true });
}, { timeout: 300_000 });

after(async () => { await f?.teardown(); }, { timeout: 180_000 });

/** Requests until every replica answered (at most EVERY_REPLICA); the hostnames that answered
 * (every answer must be the echo page). */
async function replicas(get: () => Promise<Result>): Promise<string[]> {
  return everyReplica(pods, async () => {
    const r = await get();
    ok(r, 'request');
    assert.match(r.stdout, /^Hello, world!\nVersion: 1\.0\.0\nHostname: \S+\n$/);
    return hostnameOf(r.stdout)!;
  });
}

test('from a pod, the ClusterIP answers from every replica', async () => {
  assert.match(clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  const seen = await replicas(() => kubectl('exec', 'client', '--', 'wget', '-qO-', `http://${clusterIP}`));
  assert.deepEqual(seen, pods);
});

test('from each node, the ClusterIP answers from every replica', async () => {
  for (const node of [profile, worker]) {
    const seen = await replicas(() => mk('ssh', '-p', profile, '-n', node, '--', 'wget', '-qO-', `http://${clusterIP}`));
    assert.deepEqual(seen, pods, node);
  }
});

test('the nodePort answers from the host at each node IP', async () => {
  for (const node of [profile, worker]) {
    const ip = (await mk('ip', '-p', profile, '-n', node)).stdout.trim();
    const seen = await everyReplica(pods, async () => {
      const body = await hostGet(f, `http://${ip}:${nodePort}/`);
      assert.match(body, /^Hello, world!\n/);
      return hostnameOf(body)!;
    });
    assert.deepEqual(seen, pods, node);
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
    // the mode the cluster was started in (mk's default: iptables)
    assert.match(r.stdout, new RegExp(`^Mode: ${PROXY_MODE ?? 'iptables'}( |$)`, 'm'), r.stdout);
  }
});
