// The ingress addon on a real 2-node cluster, as seed 000 walks it: `mk addons list` shows it
// disabled, `mk addons enable ingress` prints minikube's lines and returns once each node's agent
// serves :80/:443 of its IP (and shows in ingress-nginx); seed 002's v1beta1 manifests, created
// with real kubectl, route `kubia.example.com` to the kubia pods and `/foo` and
// `bar.example.com` to bar, on both node IPs; a TLS host answers with its Secret's certificate;
// `kubectl get ingress` shows the control plane's IP; the state survives `mk stop`/`mk start`;
// `mk addons disable ingress` stops serving.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { selfSigned } from '../../../src/agent/ingress/fake-cert.ts';
import { renderAddons } from '../../../src/cli/cluster-views.ts';
import { bridgeSubnets, echoDeployment, hostnameOf, json, nodeIPs, ok, poll, squash, startFlow, type Flow } from '../flows/cluster.ts';

const SEEDS = join(import.meta.dirname, '..', '..', 'fixtures', 'seeds');
let f: Flow;
let ips: string[] = [];

const ipv4 = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base!) / size);
}

/** One request to a node IP on the cluster's bridge with a Host header (and SNI for HTTPS). */
function ask(ip: string, host: string, path: string, secure = false): Promise<{ status: number; body: string; cn?: string }> {
  if (!bridgeSubnets(f).some((c) => inCidr(ip, c))) return Promise.reject(new Error(`refusing to dial ${ip}: not on the cluster's bridge`));
  return new Promise((resolve, reject) => {
    const o = { host: ip, port: secure ? 443 : 80, path, headers: { host }, agent: false as const, timeout: 5000, ...(secure ? { servername: host, rejectUnauthorized: false } : {}) };
    const req = (secure ? https : http).get(o, (res) => {
      const cn = secure ? (res.socket as TLSSocket).getPeerCertificate()?.subject?.CN : undefined;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cn: Array.isArray(cn) ? cn[0] : cn }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

const SERVICES = `apiVersion: v1
kind: Service
metadata: {name: kubia-nodeport}
spec:
  type: NodePort
  ports: [{port: 80, targetPort: 8080}]
  selector: {app: kubia}
---
apiVersion: v1
kind: Service
metadata: {name: bar}
spec:
  ports: [{port: 80, targetPort: 8080}]
  selector: {app: bar}
`;

before(async () => {
  f = await startFlow('ingress');
  ips = (await nodeIPs(f)).map((n) => n.ip);
  const bar = echoDeployment('bar', { replicas: 1 }).replace('        imagePullPolicy', '        env: [{name: VERSION, value: "bar"}]\n        imagePullPolicy');
  ok(await f.mk('apply', '-f', f.file('apps.yaml', `${echoDeployment('kubia', { replicas: 2 })}---\n${bar}---\n${SERVICES}`)), 'apply apps');
  await poll('3 pods Running', async () => {
    const pods = (await json(f, 'pods')).items.filter((p: any) => p.status?.phase === 'Running');
    return pods.length === 3 ? pods : undefined;
  }, { ms: 120_000 });
}, { timeout: 300_000 });

after(async () => {
  await f?.teardown();
}, { timeout: 180_000 });

test('mk addons list shows ingress disabled; enable returns once every node serves, with minikube\'s lines', async () => {
  const before = await f.mk('addons', 'list');
  ok(before, 'addons list');
  // the layout itself is compared with minikube's in src/cli/cluster-views.test.ts
  const addons = (ingress: 'enabled' | 'disabled') => [
    { name: 'default-storageclass', status: 'enabled' as const, maintainer: 'Kubernetes', docs: '' },
    { name: 'ingress', status: ingress, maintainer: 'Kubernetes', docs: '' },
    { name: 'storage-provisioner', status: 'enabled' as const, maintainer: 'minikube', docs: '' },
  ];
  assert.equal(before.stdout, renderAddons(addons('disabled'), f.profile));
  const t0 = performance.now();
  const en = await f.mk('addons', 'enable', 'ingress');
  // measured, not asserted (the goal: under a second on a running cluster)
  if (process.env.MK_FLOW_TRACE) console.log(`mk addons enable ingress: ${(performance.now() - t0).toFixed(0)} ms`);
  ok(en, 'addons enable ingress');
  assert.match(en.stdout, new RegExp([
    '^\\* ingress is an addon maintained by Kubernetes\\. mk serves it itself: nothing to pull\\.',
    "  - each node's mk agent serves HTTP on :80 and HTTPS on :443 \\(IngressClass nginx, the default\\); no image to pull",
    "  - from this host: http://127\\.0\\.0\\.1:\\d+ and https://127\\.0\\.0\\.1:\\d+ \\(mk ip gives the node's address\\)",
    '\\* Verifying ingress addon\\.\\.\\.',
    "\\* The 'ingress' addon is enabled",
    '$',
  ].join('\\n')));
  const r = await f.kubectl('kubectl', 'get', 'pods', '-n', 'ingress-nginx', '-o', 'wide');
  ok(r, 'get pods -n ingress-nginx');
  const rows = squash(r.stdout).trim().split('\n').slice(1).map((l) => l.split(' ').slice(0, 3).join(' ')).sort();
  assert.deepEqual(rows, [`ingress-nginx-controller-${f.profile} 1/1 Running`, `ingress-nginx-controller-${f.profile}-m02 1/1 Running`]);
  const j = await f.mk('addons', 'list', '-o', 'json');
  assert.deepEqual(JSON.parse(j.stdout), Object.fromEntries(addons('enabled').map((r) => [r.name, { Profile: f.profile, Status: r.status }])));
});

test("seed 002: the v1beta1 manifests route by host and path on every node's IP", async () => {
  let r = await f.kubectl('kubectl', 'create', '-f', join(SEEDS, '002-ingress-v1beta1.yaml'));
  ok(r, 'create v1beta1');
  assert.match(r.stderr, /Warning: networking\.k8s\.io\/v1beta1 Ingress is deprecated in v1\.19\+/);
  r = await f.kubectl('kubectl', 'apply', '-f', join(SEEDS, '002-ingress-v1beta1-hosts.yaml'));
  ok(r, 'apply v1beta1 with hosts');
  for (const ip of ips) {
    const kubia = await poll(`kubia.example.com via ${ip}`, async () => {
      const a = await ask(ip, 'kubia.example.com', '/');
      return a.status === 200 ? a : undefined;
    }, { retryErrors: true });
    assert.match(kubia.body, /^Hello, world!\nVersion: 1\.0\.0\nHostname: kubia-/);
    assert.match((await ask(ip, 'kubia.example.com', '/foo')).body, /Version: bar\n/);
    assert.match((await ask(ip, 'bar.example.com', '/')).body, /Version: bar\n/);
    assert.equal((await ask(ip, 'unknown.example.com', '/')).status, 404);
  }
  // both kubia pods answer through the ingress
  const names = new Set<string>();
  for (let i = 0; i < 8; i++) names.add(hostnameOf((await ask(ips[0]!, 'kubia.example.com', '/')).body) ?? '');
  assert.equal(names.size, 2, [...names].join(','));
  const got = await poll('the ADDRESS column', async () => {
    const g = await f.kubectl('kubectl', 'get', 'ingress');
    return g.stdout.includes(ips[0]!) ? g : undefined;
  });
  assert.match(squash(got.stdout), new RegExp(`^kubia nginx kubia\\.example\\.com,bar\\.example\\.com ${ips[0]!.replaceAll('.', '\\.')} 80 \\S+$`, 'm'));
});

test('a TLS host answers with its certificate; plain HTTP is redirected', async () => {
  const pair = await selfSigned({ cn: 'secure.example.com', dnsNames: ['secure.example.com'] });
  ok(await f.kubectl('kubectl', 'create', 'secret', 'tls', 'secure-tls', `--cert=${f.file('tls.crt', pair.certPem)}`, `--key=${f.file('tls.key', pair.keyPem)}`), 'create secret tls');
  ok(await f.kubectl('kubectl', 'create', 'ingress', 'secure', '--rule=secure.example.com/*=bar:80,tls=secure-tls'), 'create ingress');
  const a = await poll('https://secure.example.com', async () => {
    const x = await ask(ips[1]!, 'secure.example.com', '/', true);
    return x.status === 200 && x.cn === 'secure.example.com' ? x : undefined;
  }, { retryErrors: true });
  assert.match(a.body, /Version: bar\n/);
  const plain = await ask(ips[1]!, 'secure.example.com', '/x');
  assert.equal(plain.status, 308);
});

test('the addon stays enabled across mk stop and mk start', async () => {
  ok(await f.mk('stop', '-p', f.profile), 'stop');
  ok(await f.mk('start', '-p', f.profile), 'start');
  assert.equal(JSON.parse((await f.mk('addons', 'list', '-o', 'json')).stdout).ingress.Status, 'enabled');
  const a = await poll('kubia.example.com after a restart', async () => {
    const x = await ask(ips[0]!, 'kubia.example.com', '/');
    return x.status === 200 ? x : undefined;
  }, { retryErrors: true, ms: 60_000 });
  assert.match(a.body, /Hostname: kubia-/);
});

test('mk addons disable ingress: nothing listens on :80 any more, the Pods are gone', async () => {
  const d = await f.mk('addons', 'disable', 'ingress');
  ok(d, 'addons disable');
  assert.equal(d.stdout, "* The 'ingress' addon is disabled\n");
  await poll('port 80 closed', async () => {
    try { await ask(ips[0]!, 'kubia.example.com', '/'); return undefined; } catch (e) { return (e as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? true : undefined; }
  });
  const r = await f.kubectl('kubectl', 'get', 'pods', '-n', 'ingress-nginx');
  assert.equal(r.stdout, '');
  const bad = await f.mk('addons', 'enable', 'nosuch');
  assert.equal(bad.exitCode, 1);
  assert.equal(bad.stderr, "The 'nosuch' addon is not a valid addon packaged with mk.\nThe addons mk has: default-storageclass, ingress, storage-provisioner (see \"mk addons list\").\n");
});
