// The ingress data path alone, on loopback (no cluster): requests/s, p99 and CPU per request
// (user and kernel, from /proc) of mk's controller (startIngressServer, in this process, routing
// `Host: hello-world.example` to two endpoints), of an nginx reverse proxy configured as
// ingress-nginx configures a location (Debian's nginx, 1 worker), and of a minimal node:http
// proxy (http.createServer + http.request over a keep-alive Agent: what node:http itself costs),
// straight to the same two nginx backends (127.0.0.11/12, 1 worker each) and direct to one of
// them — same client (Debian's wrk, from the host), interleaved rounds, the median reported.
// What bench/ingress.ts measures in a cluster, without the cluster: the tool to see where a
// change to src/agent/ingress's data path moves the CPU per request.
// Usage: npx node bench/ingress-dataplane.ts [seconds=5] [rounds=3] [connections=50]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../src/api/types.ts';
import { IngressState, startIngressServer } from '../src/agent/ingress/index.ts';
import { fakeCertificate } from '../src/agent/ingress/fake-cert.ts';
import { backendConf, need, proxyConf } from './ingress-images.ts';

const seconds = Math.min(30, Number(process.argv[2] ?? 5));
const rounds = Math.min(5, Number(process.argv[3] ?? 3));
const connections = Number(process.argv[4] ?? 50);
const HOST = 'hello-world.example';
const BACKENDS = ['127.0.0.11', '127.0.0.12'];
const PORT = 18080;

/** user and kernel CPU seconds of a process, from /proc/<pid>/stat (0 when it is gone). */
function cpu(pid: number): { user: number; sys: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100 };
  } catch {
    return { user: 0, sys: 0 };
  }
}

/** The worker processes of an nginx master. */
function children(ppid: number): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const s = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === ppid) out.push(Number(p));
    } catch {}
  }
  return out;
}

async function answers(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      http.get(url, { headers: { host: HOST }, agent: false }, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`bench/ingress-dataplane: ${url} never answered 200`);
}

interface Round { rps: number; p99ms: number; errors: number; userUs: number; sysUs: number }

function wrk(url: string, pids: () => number[]): Promise<Round> {
  return new Promise((resolve, reject) => {
    const watched = pids();
    const before = watched.map(cpu);
    const c = spawn('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-H', `Host: ${HOST}`, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.once('error', reject);
    c.once('exit', () => {
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
      const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
      if (!p99 || !Number.isFinite(rps)) return reject(new Error(`bench/ingress-dataplane: cannot read wrk's output:\n${out}`));
      const after = watched.map(cpu);
      const n = rps * seconds;
      const sum = (k: 'user' | 'sys') => after.reduce((a, x, i) => a + x[k] - before[i]![k], 0);
      const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0);
      resolve({ rps, p99ms: Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1), errors, userUs: (sum('user') * 1e6) / n, sysUs: (sum('sys') * 1e6) / n });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

need('/usr/sbin/nginx', 'nginx');
need('/usr/bin/wrk', 'wrk');
const dir = mkdtempSync(join(tmpdir(), 'mk-bench-dataplane-'));
const nginx: ChildProcess[] = [];
/** nginx on a configuration whose pid and temp files go to `dir`/`name` */
const startNginx = (name: string, conf: (dir: string) => string) => {
  const own = join(dir, name);
  mkdirSync(own);
  const f = join(own, 'nginx.conf');
  writeFileSync(f, conf(own));
  const c = spawn('nginx', ['-e', 'stderr', '-c', f], { stdio: ['ignore', 'ignore', 'inherit'] });
  nginx.push(c);
  return c;
};
const state = new IngressState();
/** nginx stopped (its pid file removed by itself), then the temp dir. */
const cleanup = async () => {
  await Promise.all(nginx.filter((c) => c.exitCode === null).map((c) => new Promise((r) => { c.once('exit', r); c.kill('SIGTERM'); })));
  rmSync(dir, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
try {
  BACKENDS.forEach((ip, i) => startNginx(`backend-${i}`, (d) => backendConf(`${ip}:${PORT}`, d)));
  const proxy = startNginx('proxy', (d) => proxyConf({ listen: '127.0.0.3:18082', host: HOST, endpoints: BACKENDS.map((ip) => `${ip}:${PORT}`), workers: 1, dir: d }));

  const obj = (o: object) => o as KubeObject;
  state.setClass(obj({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'k8s.io/ingress-nginx' } }));
  state.setService(obj({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello-world', namespace: 'default' }, spec: { ports: [{ port: 80, targetPort: PORT, protocol: 'TCP' }] } }));
  state.setEndpoints(obj({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'hello-world', namespace: 'default' }, subsets: [{ addresses: BACKENDS.map((ip) => ({ ip })), ports: [{ port: PORT, protocol: 'TCP' }] }] }));
  state.setIngress(obj({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'hello-world', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { rules: [{ host: HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'hello-world', port: { number: 80 } } } }] } }] } }));
  const mk = await startIngressServer({ host: '127.0.0.2', httpPort: 18081, httpsPort: 0, state, fallbackCert: await fakeCertificate() });

  // node:http as a proxy, nothing else: the floor of a proxy built on it
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' });
  let rr = 0;
  const minimal = http.createServer((req, res) => {
    const up = http.request({ host: BACKENDS[rr++ % BACKENDS.length], port: PORT, method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => minimal.listen(18083, '127.0.0.4', () => r()));

  const targets = [
    { key: 'direct', label: 'direct to one backend', url: `http://${BACKENDS[0]}:${PORT}/`, pids: () => [] as number[] },
    { key: 'mk', label: "mk's controller", url: 'http://127.0.0.2:18081/', pids: () => [process.pid] },
    { key: 'nginx', label: 'nginx proxy, 1 worker', url: 'http://127.0.0.3:18082/', pids: () => children(proxy.pid!) },
    { key: 'node:http', label: 'minimal node:http proxy', url: 'http://127.0.0.4:18083/', pids: () => [process.pid] },
  ];
  for (const t of targets) await answers(t.url);
  console.log(`ingress data path on loopback: wrk -t2 -c${connections} -d${seconds}s, ${rounds} interleaved rounds, load average ${loadavg()[0]!.toFixed(1)}`);
  const results: Record<string, Round[]> = Object.fromEntries(targets.map((t) => [t.key, []]));
  for (let r = 0; r < rounds; r++) {
    for (const t of targets) {
      const x = await wrk(t.url, t.pids);
      results[t.key]!.push(x);
      console.log(`  round ${r + 1} ${t.key.padEnd(9)} ${x.rps.toFixed(0).padStart(7)} req/s  p99 ${x.p99ms.toFixed(2).padStart(7)} ms${t.pids().length ? `  proxy CPU ${(x.userUs + x.sysUs).toFixed(1)} µs/request (user ${x.userUs.toFixed(1)}, kernel ${x.sysUs.toFixed(1)})` : ''}${x.errors ? `  errors ${x.errors}` : ''}`);
    }
  }
  const fig = (k: string) => ({ rps: median(results[k]!.map((x) => x.rps)), p99: median(results[k]!.map((x) => x.p99ms)), us: median(results[k]!.map((x) => x.userUs + x.sysUs)) });
  console.log(`\nmedian of ${rounds} rounds:`);
  for (const t of targets) {
    const f = fig(t.key);
    console.log(`  ${t.label.padEnd(26)} ${f.rps.toFixed(0).padStart(7)} req/s  p99 ${f.p99.toFixed(2).padStart(7)} ms${t.key !== 'direct' ? `  proxy CPU ${f.us.toFixed(1)} µs/request` : ''}`);
  }
  const m = fig('mk'), n = fig('nginx'), h = fig('node:http');
  console.log(`  mk/nginx      req/s ${(m.rps / n.rps).toFixed(2)}x  p99 ${(m.p99 / n.p99).toFixed(2)}x  CPU/request ${(m.us / n.us).toFixed(2)}x`);
  console.log(`  mk/node:http  req/s ${(m.rps / h.rps).toFixed(2)}x  CPU/request ${(m.us / h.us).toFixed(2)}x`);
  await mk.close();
  agent.destroy();
  minimal.close();
} finally {
  await cleanup();
}
