// The cluster DNS on a real 2-node cluster, from a busybox pod (busybox's own nslookup and nc):
// a Service by short name and FQDN; HTTP to the address it gave through the proxy; a headless
// Service answering its 3 pod IPs and nothing once they are gone; PTR of a ClusterIP and of
// 10.96.0.10 (kube-dns.kube-system.svc.cluster.local, as seed 003 prints); SRV of a named port;
// ExternalName → CNAME; an unknown name → NXDOMAIN; /etc/resolv.conf as seed 002 prints it;
// kube-dns and the agents serving it in kube-system; how soon a new Service resolves (reported).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ECHO_PORT } from '../../images/index.ts';
import { busyboxPod, echoDeployment, ok, poll, startFlow, type Flow } from '../flows/cluster.ts';

let f: Flow;

const manifests = `${busyboxPod()}---
${echoDeployment('web', { replicas: 3, container: 'echo', portName: 'http' })}---
apiVersion: v1
kind: Service
metadata:
  name: httpd-svc
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http, protocol: TCP}
---
apiVersion: v1
kind: Service
metadata:
  name: headless-svc
spec:
  clusterIP: None
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: ${ECHO_PORT}}
---
apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  type: ExternalName
  externalName: httpd-svc.default.svc.cluster.local
`;

const exec = (...cmd: string[]) => f.kubectl('kubectl', 'exec', 'client', '--', ...cmd);
const lookup = async (...args: string[]) => { const r = await exec('nslookup', ...args); return r.stdout + r.stderr; };
const jsonpath = async (...args: string[]) => (await f.kubectl('kubectl', 'get', ...args)).stdout.trim();

before(async () => {
  f = await startFlow('dns');
  ok(await f.kubectl('kubectl', 'apply', '-f', f.file('dns.yaml', manifests)), 'apply');
  await poll('client Running', async () => ((await jsonpath('pod', 'client', '-o', 'jsonpath={.status.phase}')) === 'Running' ? true : undefined), { ms: 120_000 });
  await poll('3 endpoints', async () => ((await jsonpath('endpoints', 'headless-svc', '-o', 'jsonpath={.subsets[*].addresses[*].ip}')).split(' ').filter(Boolean).length === 3 ? true : undefined), { ms: 120_000 });
});
after(async () => { await f?.teardown(); });

test('/etc/resolv.conf as seed 002 prints it', async () => {
  const r = await exec('cat', '/etc/resolv.conf');
  ok(r, 'cat resolv.conf');
  assert.match(r.stdout, /^nameserver 10\.96\.0\.10\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local( \S+)*\noptions ndots:5\n$/);
});

test('kube-dns in kube-system and the node agents that serve it', async () => {
  const svc = await f.mk('get', 'svc', '-n', 'kube-system');
  ok(svc, 'get svc -n kube-system');
  assert.match(svc.stdout, /^kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s/m);
  const pods = await poll('2 agent pods', async () => {
    const r = await f.mk('get', 'pods', '-n', 'kube-system', '-o', 'wide');
    return (r.stdout.match(/^mk-agent-\S+\s+1\/1\s+Running\s/gm) ?? []).length === 2 ? r.stdout : undefined;
  }, { ms: 30_000 });
  assert.match(pods, new RegExp(`^mk-agent-${f.profile}\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+\\d+\\.\\d+\\.0\\.2\\s+${f.profile}\\s`, 'm'));
  const ep = await jsonpath('endpoints', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.subsets[0].addresses[*].ip}');
  assert.equal(ep.split(' ').length, 2, ep);
});

test('a Service by short name and FQDN; name.namespace is not a busybox nslookup name; HTTP to what the name gave', async () => {
  const ip = await jsonpath('svc', 'httpd-svc', '-o', 'jsonpath={.spec.clusterIP}');
  for (const name of ['httpd-svc', 'httpd-svc.default.svc.cluster.local']) {
    const out = await lookup(name);
    assert.match(out, /Server:\s+10\.96\.0\.10\n/, out);
    assert.match(out, new RegExp(`Name:\\s+httpd-svc\\.default\\.svc\\.cluster\\.local\\nAddress:\\s+${ip.replaceAll('.', '\\.')}\\n`), `${name}: ${out}`);
  }
  // busybox nslookup applies the search path only to dotless names (networking/nslookup.c), so
  // `name.namespace` is asked as is and is NXDOMAIN — as with CoreDNS. The test image's static
  // busybox wget segfaults (exit 139) even on an address, so HTTP goes through nc to the address
  // the name gave
  const nsq = await lookup('httpd-svc.default');
  assert.match(nsq, /server can't find httpd-svc\.default: NXDOMAIN/, nsq);
  const get = await exec('sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 $(nslookup httpd-svc | sed -n 's/^Address: //p' | head -1) 80`);
  ok(get, 'nc <address of httpd-svc> 80');
  assert.match(get.stdout, /\r?\n\r?\nHello, world!\nVersion: 1\.0\.0\nHostname: web-/);
});

test('headless: the 3 pod IPs with their dashed names, nothing once they are gone', async () => {
  const ips = (await jsonpath('pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}')).split(' ').sort();
  const out = await lookup('headless-svc');
  const got = [...out.matchAll(/^Address:\s+(\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]).filter((x) => x !== '10.96.0.10').sort();
  assert.deepEqual(got, ips, out);
  for (const ipAddr of ips) {
    const ptr = await lookup(ipAddr);
    assert.match(ptr, new RegExp(`name = ${ipAddr.replaceAll('.', '-')}\\.headless-svc\\.default\\.svc\\.cluster\\.local`), ptr);
  }
  const srv = await lookup('-type=srv', '_http._tcp.headless-svc.default.svc.cluster.local');
  for (const ipAddr of ips) assert.match(srv, new RegExp(`0 33 ${ECHO_PORT} ${ipAddr.replaceAll('.', '-')}\\.headless-svc\\.default\\.svc\\.cluster\\.local`), srv);
  ok(await f.kubectl('kubectl', 'scale', 'deployment', 'web', '--replicas=0'), 'scale to 0');
  const gone = await poll('headless-svc NXDOMAIN', async () => { const o = await lookup('headless-svc.default.svc.cluster.local'); return /NXDOMAIN/.test(o) ? o : undefined; }, { ms: 60_000 });
  assert.doesNotMatch(gone, /Address:\s+10\.244\./);
  ok(await f.kubectl('kubectl', 'scale', 'deployment', 'web', '--replicas=3'), 'scale back to 3');
});

test('PTR of a ClusterIP and of 10.96.0.10 (seed 003)', async () => {
  const ip = await jsonpath('svc', 'httpd-svc', '-o', 'jsonpath={.spec.clusterIP}');
  assert.match(await lookup(ip), new RegExp(`name = httpd-svc\\.default\\.svc\\.cluster\\.local`));
  assert.match(await lookup('10.96.0.10'), /name = kube-dns\.kube-system\.svc\.cluster\.local/);
});

test('SRV for a named port, ExternalName → CNAME, unknown → NXDOMAIN', async () => {
  const srv = await lookup('-type=srv', '_http._tcp.httpd-svc.default.svc.cluster.local');
  assert.match(srv, /service = 0 100 80 httpd-svc\.default\.svc\.cluster\.local/, srv);
  const cname = await lookup('ext.default.svc.cluster.local');
  assert.match(cname, /ext\.default\.svc\.cluster\.local\s+canonical name = httpd-svc\.default\.svc\.cluster\.local/, cname);
  const nx = await lookup('nope.default.svc.cluster.local');
  assert.match(nx, /NXDOMAIN/, nx);
});

test('a new Service resolves right after its creation (time reported, not asserted)', async () => {
  const script = [
    'i=0',
    'while [ $i -lt 100000 ]; do',
    '  if nslookup fresh.default.svc.cluster.local 2>/dev/null | grep -q "^Address: 10\\.9[6-9]\\|^Address: 10\\.1[01][0-9]"; then echo "resolved after $i polls"; exit 0; fi',
    '  i=$((i+1))',
    'done',
    'echo never; exit 1',
  ].join('\n');
  const waiter = f.spawn('kubectl', ['exec', 'client', '--', 'sh', '-c', script]);
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = Date.now();
  ok(await f.kubectl('kubectl', 'create', 'service', 'clusterip', 'fresh', '--tcp=80:8080'), 'create service');
  const out = await poll('fresh resolves', async () => (/resolved|never/.test(waiter.output()) ? waiter.output() : undefined), { ms: 60_000 });
  console.log(`# new Service: ${out.trim()} (${Date.now() - t0} ms after kubectl create started, including kubectl's own start)`);
  assert.match(out, /resolved after \d+ polls/);
  await waiter.stop();
});
