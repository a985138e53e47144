// mk tunnel without root or a cluster: the route commands (a table), the sudo home lookup, and
// the ingress IPs written through services/NAME/status and removed again, against the
// in-process API server with the route step injected; real kubectl shows the EXTERNAL-IP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture } from './harness.ts';
import type { Fixture } from './harness.ts';
import { bufferOutput } from '../../src/lib/output.ts';
import { formatError } from '../../src/cli/errors.ts';
import { SERVICE_CIDR } from '../../src/api/network.ts';
import { ipRoute, parseRouteVia, routeAddCommand, routeDelCommand, routeShowCommand } from '../../src/cluster/tunnel/route.ts';
import type { Run } from '../../src/cluster/tunnel/route.ts';
import { runTunnel, statusText } from '../../src/cluster/tunnel/tunnel.ts';
import type { TunnelDeps } from '../../src/cluster/tunnel/tunnel.ts';
import { sudoUserHome } from '../../src/cluster/tunnel/sudo.ts';
import { R } from '../../src/api/resources.ts';

const SVC = R.services;
let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(async () => f?.close());

test('route commands', () => {
  const table: [string[], string[]][] = [
    [routeAddCommand(SERVICE_CIDR, '10.244.0.2'), ['ip', 'route', 'add', '10.96.0.0/12', 'via', '10.244.0.2']],
    [routeDelCommand(SERVICE_CIDR, '10.244.0.2'), ['ip', 'route', 'del', '10.96.0.0/12', 'via', '10.244.0.2']],
    [routeShowCommand(SERVICE_CIDR), ['ip', 'route', 'show', 'exact', '10.96.0.0/12']],
  ];
  for (const [got, want] of table) assert.deepEqual(got, want);
  assert.equal(parseRouteVia('10.96.0.0/12 via 10.244.0.2 dev br-1a2b3c \n'), '10.244.0.2');
  assert.equal(parseRouteVia(''), undefined);
});

test('ipRoute: adds when absent, reuses its own leftover, refuses a foreign route, tolerates a route already gone', async () => {
  const cases: { title: string; show: string; addCode?: number; want: boolean | RegExp; ran: string[] }[] = [
    { title: 'absent', show: '', want: true, ran: ['ip route show exact 10.96.0.0/12', 'ip route add 10.96.0.0/12 via 10.244.0.2'] },
    { title: 'same gateway', show: '10.96.0.0/12 via 10.244.0.2 dev br-x', want: false, ran: ['ip route show exact 10.96.0.0/12'] },
    { title: 'other gateway', show: '10.96.0.0/12 via 10.245.0.2 dev br-y', want: /^error: a route to 10\.96\.0\.0\/12 via 10\.245\.0\.2 already exists on this host\nAnother cluster's tunnel may hold it; remove it with "sudo ip route del 10\.96\.0\.0\/12 via 10\.245\.0\.2" if it is stale\.$/, ran: ['ip route show exact 10.96.0.0/12'] },
    { title: 'add fails', show: '', addCode: 2, want: /^error: could not add the route 10\.96\.0\.0\/12 via 10\.244\.0\.2: RTNETLINK answers: Network is unreachable$/, ran: ['ip route show exact 10.96.0.0/12', 'ip route add 10.96.0.0/12 via 10.244.0.2'] },
  ];
  for (const c of cases) {
    const ran: string[] = [];
    const run: Run = async (argv) => {
      ran.push(argv.join(' '));
      if (argv[2] === 'show') return { code: 0, stdout: c.show, stderr: '' };
      return c.addCode ? { code: c.addCode, stdout: '', stderr: 'RTNETLINK answers: Network is unreachable\n' } : { code: 0, stdout: '', stderr: '' };
    };
    const got = await ipRoute(run).add(SERVICE_CIDR, '10.244.0.2').catch((e) => formatError(e));
    if (c.want instanceof RegExp) assert.match(String(got), c.want, c.title);
    else assert.equal(got, c.want, c.title);
    assert.deepEqual(ran, c.ran, c.title);
  }
  const gone: Run = async () => ({ code: 2, stdout: '', stderr: 'RTNETLINK answers: No such process\n' });
  await ipRoute(gone).remove(SERVICE_CIDR, '10.244.0.2');
});

test('sudoUserHome: the invoking user\'s home from passwd', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/bash\nann:x:1000:1000:Ann,,,:/home/ann:/bin/bash\n';
  assert.equal(sudoUserHome({ SUDO_USER: 'ann' }, passwd), '/home/ann');
  assert.equal(sudoUserHome({}, passwd), undefined);
  assert.equal(sudoUserHome({ SUDO_USER: 'root' }, passwd), undefined);
  assert.equal(sudoUserHome({ SUDO_USER: 'bob' }, passwd), undefined);
});

test('statusText: minikube tunnel\'s block', () => {
  assert.equal(statusText({ profile: 'mk', pid: 42, cidr: SERVICE_CIDR, via: '10.244.0.2', services: ['hello-world'] }),
    'Status:\t\n\tmachine: mk\n\tpid: 42\n\troute: 10.96.0.0/12 -> 10.244.0.2\n\tmk: Running\n\tservices: [hello-world]\n    errors: \n\t\tmk: no errors\n\t\trouter: no errors\n\t\tloadbalancer emulator: no errors\n');
});

function fakeDeps(root = true): TunnelDeps & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isRoot: () => root,
    nodeIp: async () => '10.244.0.2',
    pid: 4242,
    retryDelayMs: 10,
    hostPorts: async () => undefined,
    route: {
      add: async (cidr, via) => (calls.push(`add ${cidr} ${via}`), true),
      remove: async (cidr, via) => void calls.push(`del ${cidr} ${via}`),
    },
  };
}

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const ingressOf = async (name: string, ns = 'default') => ((await f.client.get(SVC, ns, name)).status?.loadBalancer?.ingress ?? []) as { ip: string }[];

test('tunnel without root says so and touches nothing', async () => {
  const deps = fakeDeps(false);
  const err = await runTunnel(f.client, { profile: 'mk' }, deps, bufferOutput(), new AbortController().signal).then(() => '', (e) => formatError(e));
  assert.equal(err, 'error: mk tunnel needs root to add a route to 10.96.0.0/12 via 10.244.0.2: run it with sudo\nsudo mk tunnel -p mk');
  assert.deepEqual(deps.calls, []);
});

test('tunnel: ClusterIP as external IP for LoadBalancer Services, new ones too; removed with the route on exit', async () => {
  const svc = (name: string, spec: object, status?: object) => f.create('/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec }, ...(status ? { status } : {}) });
  const hello = await svc('hello-world', { type: 'LoadBalancer' });
  await svc('plain', { type: 'NodePort' });
  await svc('owned', { type: 'LoadBalancer' });
  const patched = await f.cluster.patch('/api/v1/namespaces/default/services/owned/status', { status: { loadBalancer: { ingress: [{ ip: '10.0.0.77' }] } } }, 'application/merge-patch+json');
  assert.equal(patched.status, 200, patched.text);
  const before = await f.kubectl(['get', 'svc', 'hello-world', '--no-headers']);
  assert.match(before.stdout, /^hello-world\s+LoadBalancer\s+\S+\s+<pending>\s+80:\d+\/TCP/);

  const deps = fakeDeps();
  const out = bufferOutput();
  const abort = new AbortController();
  const done = runTunnel(f.client, { profile: 'mk' }, deps, out, abort.signal);
  const ing = await until('hello-world ingress', async () => ((await ingressOf('hello-world')).length ? ingressOf('hello-world') : undefined));
  assert.deepEqual(ing, [{ ip: hello.spec.clusterIP }]);
  assert.deepEqual(deps.calls, ['add 10.96.0.0/12 10.244.0.2']);
  const shown = await f.kubectl(['get', 'svc', 'hello-world', '--no-headers']);
  assert.match(shown.stdout, new RegExp(`^hello-world\\s+LoadBalancer\\s+${hello.spec.clusterIP.replace(/\./g, '\\.')}\\s+${hello.spec.clusterIP.replace(/\./g, '\\.')}\\s+80:\\d+/TCP`));
  assert.deepEqual(await ingressOf('owned'), [{ ip: '10.0.0.77' }]);
  assert.deepEqual(await ingressOf('plain'), []);

  const late = await svc('late', { type: 'LoadBalancer' });
  assert.deepEqual(await until('late ingress', async () => ((await ingressOf('late')).length ? ingressOf('late') : undefined)), [{ ip: late.spec.clusterIP }]);
  await until('status lists late', async () => (out.stdout.includes('services: [hello-world, late, owned]') ? true : undefined));
  assert.match(out.stdout, /^Status:\t\n\tmachine: mk\n\tpid: 4242\n\troute: 10\.96\.0\.0\/12 -> 10\.244\.0\.2\n\tmk: Running\n\tservices: \[hello-world, owned\]\n/);

  abort.abort();
  await done;
  assert.deepEqual(await ingressOf('hello-world'), []);
  assert.deepEqual(await ingressOf('late'), []);
  assert.deepEqual(await ingressOf('owned'), [{ ip: '10.0.0.77' }], 'an ingress mk did not write stays');
  assert.deepEqual(deps.calls, ['add 10.96.0.0/12 10.244.0.2', 'del 10.96.0.0/12 10.244.0.2']);
  assert.match(out.stdout, /Stopped the tunnel: removed the route 10\.96\.0\.0\/12 -> 10\.244\.0\.2, removed the external IPs of \[hello-world, late\]\.\n$/);
  const after = await f.kubectl(['get', 'svc', 'hello-world', '--no-headers']);
  assert.match(after.stdout, /<pending>/);
});
