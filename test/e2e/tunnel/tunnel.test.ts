// mk service and mk tunnel on a real cluster (`mk start` under a random profile; we run as root
// here): seed 004's hello-world exposed as a LoadBalancer shows <pending>, answers at
// `mk service --url` (the control plane's IP on the cluster's bridge); under `mk tunnel` it gets
// its ClusterIP as EXTERNAL-IP and answers from the host through the route to the service
// range; SIGINT removes the route and the IP. Only the cluster's bridge and its service range
// are dialled. Everything labelled with the profile (and the route) is removed in `after`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { echoDeployment, hostGet, ok, poll, SERVICE_CIDR as CIDR, startFlow, withHostRoute, type Flow } from '../flows/cluster.ts';

let f: Flow;
let profile = '';
const mk = (...args: string[]) => f.mk(...args);
const kubectl = (...args: string[]) => f.kubectl('kubectl', ...args);
const routeNow = () => execFileSync('ip', ['route', 'show', 'exact', CIDR], { encoding: 'utf8' }).trim();

const DEPLOYMENT = echoDeployment('hello-world', { replicas: 2, labelled: true });

let cpIp = '';
let routeBefore = '';

before(async () => {
  routeBefore = routeNow();
  f = await startFlow('tunnel', { nodes: 1 });
  profile = f.profile;
  cpIp = (await mk('ip', '-p', profile)).stdout.trim();
  ok(await kubectl('apply', '-f', f.file('hello.yaml', DEPLOYMENT)), 'apply');
  await poll('2 ready endpoints', async () => {
    const r = await kubectl('get', 'deploy', 'hello-world', '-o', 'jsonpath={.status.readyReplicas}');
    return r.stdout === '2' ? true : undefined;
  }, { ms: 90_000, retryErrors: true });
}, { timeout: 300_000 });

after(async () => {
  if (cpIp && routeNow().includes(`via ${cpIp} `)) execFileSync('ip', ['route', 'del', CIDR, 'via', cpIp]);
  await f?.teardown();
}, { timeout: 180_000 });

test('seed 004: expose as LoadBalancer, <pending>, mk service --url answers, mk tunnel gives the EXTERNAL-IP and takes it back', async (t) => {
  if (routeBefore !== '') return t.skip(`the host already routes ${CIDR}: ${routeBefore}`);
  const exposed = await mk('expose', 'deployment', 'hello-world', '--type=LoadBalancer', '--port=80', '--target-port=8080');
  ok(exposed, 'expose');
  assert.equal(exposed.stdout, 'service/hello-world exposed\n');
  const svc = JSON.parse((await kubectl('get', 'svc', 'hello-world', '-o', 'json')).stdout);
  const clusterIP: string = svc.spec.clusterIP;
  const nodePort: number = svc.spec.ports[0].nodePort;
  assert.match((await kubectl('get', 'svc', 'hello-world', '--no-headers')).stdout, /^hello-world\s+LoadBalancer\s+\S+\s+<pending>\s+80:\d+\/TCP/);

  const url = await mk('service', 'hello-world', '--url', '-p', profile);
  ok(url, 'mk service --url');
  assert.equal(url.stdout, `http://${cpIp}:${nodePort}\n`);
  assert.match(await hostGet(f, url.stdout.trim()), /^Hello, world!\nVersion: 1\.0\.0\nHostname: hello-world-/);
  const list = await mk('service', 'list', '-p', profile);
  ok(list, 'mk service list');
  assert.match(list.stdout, new RegExp(`\\| default +\\| hello-world +\\| +80 \\| http://${cpIp.replaceAll('.', '\\.')}:${nodePort} \\|`));

  // one tunnel at a time on this host (another e2e file's would hold the route)
  await withHostRoute(async () => {
    if (routeNow() !== '') return t.skip(`the host already routes ${CIDR}: ${routeNow()}`);
    const tunnel = f.spawn('mk', ['tunnel', '-p', profile]);
    let out = '';
    try {
      await poll('EXTERNAL-IP from the tunnel', async () => {
        const r = await kubectl('get', 'svc', 'hello-world', '--no-headers');
        return new RegExp(`^hello-world\\s+LoadBalancer\\s+${clusterIP.replaceAll('.', '\\.')}\\s+${clusterIP.replaceAll('.', '\\.')}\\s+80:${nodePort}/TCP`).test(r.stdout) ? true : undefined;
      }, { ms: 30_000, retryErrors: true });
      assert.match(routeNow(), new RegExp(`^10\\.96\\.0\\.0/12 via ${cpIp.replaceAll('.', '\\.')} `));
      await poll('the status block', async () => (tunnel.stdout().includes('services: [hello-world]') ? true : undefined), { ms: 10_000, retryErrors: true });
      out = tunnel.stdout();
      assert.match(out, new RegExp(`^Status:\\t\\n\\tmachine: ${profile}\\n\\tpid: \\d+\\n\\troute: 10\\.96\\.0\\.0/12 -> ${cpIp.replaceAll('.', '\\.')}\\n`));
      assert.match(await hostGet(f, `http://${clusterIP}/`, { viaTunnel: true }), /^Hello, world!\nVersion: 1\.0\.0\nHostname: hello-world-/);
    } finally {
      const r = await tunnel.stop('SIGINT');
      out = r.stdout;
      assert.equal(r.exitCode, 0, `${out}${r.stderr}`);
    }
    assert.match(out, /Stopped the tunnel: removed the route 10\.96\.0\.0\/12 -> \S+, removed the external IPs of \[hello-world\]\.\n$/);
    assert.equal(routeNow(), '');
    assert.match((await kubectl('get', 'svc', 'hello-world', '--no-headers')).stdout, /^hello-world\s+LoadBalancer\s+\S+\s+<pending>\s+/);
  });
});
