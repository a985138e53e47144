// The ingress addon on a real one-node cluster: requests/s and p99 through mk's ingress (the
// node agent's controller on <node IP>:80, routing by Host header to a 2-replica Deployment),
// through an nginx reverse proxy pod configured as ingress-nginx configures a location (Debian's
// nginx, 1 worker like mk's one event loop, and `worker_processes auto` as ingress-nginx runs it),
// and straight to one backend pod — in one run, through the same client pod (Debian's wrk,
// `wrk -t2 -c50 --latency -H 'Host: hello-world.example'`), in interleaved rounds (the median
// round is reported). The backend is nginx answering hello-app's text, so the proxies' cost
// shows. CPU per request of each container (its cgroup's cpuacct) says where the time goes.
// Also: enabling the addon on the running cluster (enableIngress + waitForIngress, as `mk addons
// enable ingress` calls them), cold and again after a disable, and a new Ingress → its first
// routed request (polled from the host on the node IP, the cluster's own bridge).
// Goal (issue 10): mk ≥ 0.8x nginx's req/s, p99 ≤ 2x nginx's; enable < 1 s; new Ingress ≤ 100 ms.
// Usage: npx node bench/ingress.ts [seconds=8] [rounds=3] [connections=50]
import http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { R } from '../src/api/resources.ts';
import type { KubeObject } from '../src/api/types.ts';
import type { KubeClient } from '../src/client/index.ts';
import { disableIngress, enableIngress, waitForIngress } from '../src/addons/ingress.ts';
import { LABELS } from '../src/runtime/labels.ts';
import { BENCH_IMAGES, backendConf, ensureBenchImages, proxyConf } from './ingress-images.ts';
import { median, ms, must, pct, ratio, sleep, today, withBench, type Bench } from './cluster-harness.ts';

const SECONDS = Math.min(30, Number(process.argv[2] ?? 8));
const ROUNDS = Math.min(5, Number(process.argv[3] ?? 3));
const CONNECTIONS = Number(process.argv[4] ?? 50);
const NEW_INGRESS_SAMPLES = 10;
const HOST = 'hello-world.example';
const PORT = 8080;

const meta = (name: string, labels?: Record<string, string>) => ({ name, namespace: 'default', ...(labels ? { labels } : {}) });
const container = (name: string, image: string, env?: Record<string, string>, command?: string[]) =>
  ({ name, image, imagePullPolicy: 'IfNotPresent', ...(command ? { command } : {}), ...(env ? { env: Object.entries(env).map(([n, value]) => ({ name: n, value })) } : {}) });

const backend: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('hello-world'),
  spec: { replicas: 2, selector: { matchLabels: { app: 'hello-world' } }, template: { metadata: { labels: { app: 'hello-world' } }, spec: { containers: [{ ...container('hello', BENCH_IMAGES.nginx, { NGINX_CONF: backendConf(PORT) }), ports: [{ containerPort: PORT }] }] } } },
};
const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: meta('hello-world'), spec: { selector: { app: 'hello-world' }, ports: [{ port: 80, targetPort: PORT }] } };
const ingress = (name: string, host: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta(name),
  spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'hello-world', port: { number: 80 } } } }] } }] },
});
const pod = (name: string, c: object): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta(name, { app: name }), spec: { terminationGracePeriodSeconds: 0, containers: [c] } });

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 90_000, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`bench/ingress: timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function runningPods(client: KubeClient, selector: string, n: number): Promise<KubeObject[]> {
  return until(`${n} Running pods ${selector}`, async () => {
    const pods = (await client.list(R.pods!, { namespace: 'default', labelSelector: selector })).items.filter((p) => p.status?.phase === 'Running' && p.status?.podIP);
    return pods.length >= n ? pods : undefined;
  });
}

/** One GET to the node IP (on the cluster's bridge) with a Host header: its status. */
function get(agent: http.Agent, ip: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: ip, port: 80, path: '/', headers: { host }, agent, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** CPU time (ns) a container has used, user and kernel, from its cgroup (v1 cpuacct, or v2 cpu.stat); undefined if not found. */
function cpuNs(id: string): { user: number; sys: number } | undefined {
  const v1 = `/sys/fs/cgroup/cpuacct/docker/${id}`;
  if (existsSync(`${v1}/cpuacct.usage_user`)) {
    return { user: Number(readFileSync(`${v1}/cpuacct.usage_user`, 'utf8')), sys: Number(readFileSync(`${v1}/cpuacct.usage_sys`, 'utf8')) };
  }
  for (const f of [`/sys/fs/cgroup/docker/${id}/cpu.stat`, `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`]) {
    if (!existsSync(f)) continue;
    const t = readFileSync(f, 'utf8');
    const us = (k: string) => Number(new RegExp(`^${k} (\\d+)$`, 'm').exec(t)?.[1] ?? NaN) * 1000;
    return { user: us('user_usec'), sys: us('system_usec') };
  }
  return undefined;
}

interface Load { rps: number; p99ms: number; errors: number; cpuUs: Record<string, number>; userUs: Record<string, number> }

function parseWrk(out: string): Omit<Load, 'cpuUs' | 'userUs'> {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
  if (!rps || !p99) throw new Error(`bench/ingress: cannot read wrk's output:\n${out}`);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors = (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return { rps: Number(rps[1]), p99ms: Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1), errors };
}

/** wrk in the client pod's container against url; CPU µs per request of each watched container. */
async function wrk(b: Bench, clientId: string, url: string, watch: Record<string, string[]>): Promise<Load> {
  const before = Object.fromEntries(Object.entries(watch).map(([k, ids]) => [k, ids.map(cpuNs)]));
  const r = must(await b.docker('exec', clientId, 'wrk', '-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-H', `Host: ${HOST}`, url), `wrk ${url}`);
  const load = parseWrk(r.stdout);
  const cpuUs: Record<string, number> = {};
  const userUs: Record<string, number> = {};
  const requests = load.rps * SECONDS;
  for (const [k, ids] of Object.entries(watch)) {
    const after = ids.map(cpuNs);
    const used = (f: (c: { user: number; sys: number }) => number) => ids.reduce((a, _id, i) => a + (f(after[i] ?? { user: NaN, sys: NaN }) - f(before[k]![i] ?? { user: NaN, sys: NaN })), 0);
    cpuUs[k] = used((c) => c.user + c.sys) / 1000 / requests;
    userUs[k] = used((c) => c.user) / 1000 / requests;
  }
  return { ...load, cpuUs, userUs };
}

async function appContainers(b: Bench, podName: string): Promise<string[]> {
  const cs = await b.rt.listContainers({ [LABELS.cluster]: b.profile, [LABELS.podName]: podName });
  return cs.filter((c) => c.labels[LABELS.sandbox] !== 'true').map((c) => c.id);
}

await withBench(async (b) => {
  const built = await ensureBenchImages(b.rt);
  if (built.length) console.log(`built ${built.join(', ')}`);
  must(await b.mk('start', '-p', b.profile), 'mk start');
  const client = b.client();
  const nodeIP = (await b.mk('ip', '-p', b.profile)).stdout.trim();
  const [node] = await b.rt.listContainers({ [LABELS.cluster]: b.profile, [LABELS.role]: 'control-plane' });
  console.log(`ingress on a 1-node cluster (node ${nodeIP}), ${today()}`);

  // enabling, on the running cluster: first (cold), then after a disable (warm)
  const enable = async () => {
    const t0 = performance.now();
    await enableIngress(client);
    await waitForIngress(client, { timeoutMs: 30_000 });
    return performance.now() - t0;
  };
  const cold = await enable();
  await disableIngress(client);
  await until('the controller to stop', async () => ((await client.list(R.pods!, { namespace: 'ingress-nginx' }).catch(() => ({ items: [] }))).items.length === 0 ? true : undefined), 30_000, 50);
  const warm = await enable();

  await client.create(R.deployments!, 'default', backend);
  await client.create(R.services!, 'default', service);
  await client.create(R.ingresses!, 'default', ingress('hello-world', HOST));
  const backends = await runningPods(client, 'app=hello-world', 2);
  const endpoints = backends.map((p) => `${p.status!.podIP}:${PORT}`);
  for (const [name, workers] of [['nginx-1', 1], ['nginx-auto', 'auto']] as const) {
    await client.create(R.pods!, 'default', pod(name, container('nginx', BENCH_IMAGES.nginx, { NGINX_CONF: proxyConf({ listen: 80, host: HOST, endpoints, workers }) })));
  }
  await client.create(R.pods!, 'default', pod('client', container('wrk', BENCH_IMAGES.wrk, undefined, ['sleep', '86400'])));
  const ip = async (name: string) => (await runningPods(client, `app=${name}`, 1))[0]!.status!.podIP as string;
  const [n1, nAuto] = [await ip('nginx-1'), await ip('nginx-auto')];
  await ip('client');
  const [clientId] = await appContainers(b, 'client');

  // a new Ingress → its host's first routed answer (from the host, polling the node IP)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await until('mk ingress routes hello-world.example', async () => ((await get(agent, nodeIP, HOST)) === 200 ? true : undefined));
  const routed: number[] = [];
  const created: number[] = [];
  for (let i = 0; i < NEW_INGRESS_SAMPLES; i++) {
    const host = `route-${i}.example`;
    const t0 = performance.now();
    await client.create(R.ingresses!, 'default', ingress(`route-${i}`, host));
    created.push(performance.now() - t0);
    for (;;) {
      if ((await get(agent, nodeIP, host)) === 200) break;
      if (performance.now() - t0 > 5000) throw new Error(`bench/ingress: ${host} not routed 5 s after its Ingress was created`);
    }
    routed.push(performance.now() - t0);
  }
  agent.destroy();

  const targets = [
    { key: 'direct', label: 'direct to one backend pod', url: `http://${endpoints[0]}/`, hop: undefined },
    { key: 'mk', label: "mk's ingress (node IP :80)", url: `http://${nodeIP}:80/`, hop: 'node (mk agent)' },
    { key: 'nginx-1', label: 'nginx proxy pod, 1 worker', url: `http://${n1}:80/`, hop: 'nginx-1' },
    { key: 'nginx-auto', label: 'nginx proxy pod, workers auto', url: `http://${nAuto}:80/`, hop: 'nginx-auto' },
  ] as const;
  const watch: Record<string, string[]> = {
    'node (mk agent)': [node!.id],
    'nginx-1': await appContainers(b, 'nginx-1'),
    'nginx-auto': await appContainers(b, 'nginx-auto'),
    backends: (await Promise.all(backends.map((p) => appContainers(b, p.metadata.name!)))).flat(),
    wrk: [clientId!],
  };
  for (const t of targets) must(await b.docker('exec', clientId!, 'wrk', '-t1', '-c2', '-d1s', '-H', `Host: ${HOST}`, t.url), `warm-up ${t.url}`);

  console.log(`load: wrk -t2 -c${CONNECTIONS} -d${SECONDS}s in pod "client", ${ROUNDS} interleaved rounds`);
  const results: Record<string, Load[]> = Object.fromEntries(targets.map((t) => [t.key, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of targets) {
      const l = await wrk(b, clientId!, t.url, watch);
      results[t.key]!.push(l);
      const cpu = Object.entries(l.cpuUs).filter(([, v]) => v >= 0.5).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
      console.log(`  round ${r + 1} ${t.key.padEnd(10)} ${l.rps.toFixed(0).padStart(7)} req/s  p99 ${l.p99ms.toFixed(2).padStart(7)} ms  CPU µs/request: ${cpu}${l.errors ? `  errors ${l.errors}` : ''}`);
    }
  }
  const fig = Object.fromEntries(targets.map((t) => {
    const ls = results[t.key]!;
    return [t.key, {
      rps: median(ls.map((l) => l.rps)), p99: median(ls.map((l) => l.p99ms)), errors: ls.reduce((a, l) => a + l.errors, 0),
      hopUs: t.hop ? median(ls.map((l) => l.cpuUs[t.hop!]!)) : undefined, hopUserUs: t.hop ? median(ls.map((l) => l.userUs[t.hop!]!)) : undefined,
    }];
  }));
  console.log(`\nmedian of ${ROUNDS} rounds:`);
  for (const t of targets) {
    const f = fig[t.key]!;
    console.log(`  ${t.label.padEnd(32)} ${f.rps.toFixed(0).padStart(7)} req/s  p99 ${f.p99.toFixed(2).padStart(7)} ms${f.hopUs !== undefined ? `  proxy CPU ${f.hopUs.toFixed(1)} µs/request (user ${f.hopUserUs!.toFixed(1)}, kernel ${(f.hopUs - f.hopUserUs!).toFixed(1)})` : ''}${f.errors ? `  errors ${f.errors}` : ''}`);
  }
  const m = fig.mk!;
  for (const peer of ['nginx-1', 'nginx-auto']) {
    const p = fig[peer]!;
    console.log(`  mk/${peer.padEnd(10)} req/s ${ratio(m.rps, p.rps)} (goal ≥ 0.80x)  p99 ${ratio(m.p99, p.p99)} (goal ≤ 2x)${m.hopUs && p.hopUs ? `  proxy CPU/request ${ratio(m.hopUs, p.hopUs)}` : ''}`);
  }
  console.log(`  mk/direct      req/s ${ratio(m.rps, fig.direct!.rps)}  p99 ${ratio(m.p99, fig.direct!.p99)}`);
  console.log(`enable ingress on the running cluster (enableIngress + waitForIngress): ${ms(cold)} first, ${ms(warm)} after a disable (goal < 1 s)`);
  console.log(`new Ingress → first routed request (${NEW_INGRESS_SAMPLES} samples): p50 ${ms(median(routed))}, max ${ms(pct(routed, 100))} (create answered p50 ${ms(median(created))}) (goal ≤ 100 ms)`);
});
