// Service proxy throughput: requests/s and p99 latency through mk's proxy (the ClusterIP) vs
// straight to a backend (the pod IP), and through haproxy (Debian, TCP mode, round-robin, one
// thread like mk's one event loop) in the same place — same client (wrk, Debian), same backends,
// measured in one run. It is the proxy's data path on loopback: three keep-alive node:http
// backends in one child process on 127.0.0.11-13 (the pods), mk's proxy (createProxy, in this
// process) serving a Service whose "ClusterIP" is 127.0.0.2 (a local address, as the node's
// `ip route add local <serviceCIDR> dev lo` makes every ClusterIP), haproxy on 127.0.0.3.
// A bare node pipe proxy (accept, connect, pipe; 127.0.0.4) is the floor for a proxy in node.
// Rounds are interleaved (direct, mk, haproxy, pipe, direct, …) and the median round is
// reported, with the cores each process kept busy (from /proc/<pid>/stat) to show where the
// time goes.
// Goal (issue 4): mk/direct >= 0.9 (Kubernetes PR #16344: userspace proxy 36%, iptables 96%).
// Usage: npx node bench/proxy-throughput.ts [seconds=10] [rounds=3] [connections=50]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { createProxy } from '../src/agent/proxy/index.ts';
import type { KubeObject } from '../src/api/types.ts';

const seconds = Math.min(30, Number(process.argv[2] ?? 10));
const rounds = Math.min(5, Number(process.argv[3] ?? 3));
const connections = Number(process.argv[4] ?? 50);
const BACKENDS = ['127.0.0.11', '127.0.0.12', '127.0.0.13'];
const BACKEND_PORT = 18080;
const CLUSTER_IP = '127.0.0.2';
const SVC_PORT = 18081;
const HAPROXY_IP = '127.0.0.3';
const HAPROXY_PORT = 18082;
const PIPE_IP = '127.0.0.4';
const PIPE_PORT = 18083;

function need(bin: string, pkg: string): void {
  if (spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0) return;
  console.log(`installing ${pkg} (apt-get)…`);
  const r = spawnSync('apt-get', ['install', '-y', pkg], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`bench/proxy-throughput: ${bin} is missing and "apt-get install -y ${pkg}" failed`);
}

// The pods: one process (one event loop), a keep-alive HTTP server per address, a short body.
const backendCode = `
const http = require('node:http');
const addrs = ${JSON.stringify(BACKENDS)};
let up = 0;
for (const a of addrs) {
  const body = 'hello from ' + a + '\\n';
  const s = http.createServer({ keepAlive: true }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  s.keepAliveTimeout = 60000;
  s.listen(${BACKEND_PORT}, a, () => { if (++up === addrs.length) process.stdout.write('ready\\n'); });
}
`;

function startChild(cmd: string, args: string[], ready: (out: string) => boolean): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (ready(out)) resolve(c);
    };
    c.stdout!.on('data', onData);
    c.stderr!.on('data', onData);
    c.once('error', reject);
    c.once('exit', (code) => reject(new Error(`${cmd} exited (${code}): ${out}`)));
  });
}

async function untilAnswers(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) {
        await r.text();
        return;
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`bench/proxy-throughput: ${url} never answered`);
}

interface WrkResult { rps: number; p99ms: number; errors: number; cpu?: Record<string, number> }

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

function toMs(v: string, unit: string): number {
  const n = Number(v);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n;
}

/** wrk's summary: Requests/sec, the 99% line of --latency, and any socket errors / non-2xx. */
function parseWrk(out: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  if (!rps || !p99) throw new Error(`bench/proxy-throughput: cannot read wrk's output:\n${out}`);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors = (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return { rps: Number(rps[1]), p99ms: toMs(p99[1], p99[2]), errors };
}

/** Runs wrk; `watch` names the processes whose CPU use (cores busy, on average) is reported with the result. */
function wrk(url: string, watch: Record<string, number>): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const c = spawn('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    const before = Object.fromEntries(Object.entries(watch).map(([k, pid]) => [k, cpuSeconds(pid)]));
    let wrkCpu = 0;
    const sampler = setInterval(() => (wrkCpu = cpuSeconds(c.pid!) || wrkCpu), 250);
    const t0 = performance.now();
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.once('error', reject);
    c.once('exit', () => {
      clearInterval(sampler);
      const wall = (performance.now() - t0) / 1000;
      const cpu = Object.fromEntries(Object.entries(watch).map(([k, pid]) => [k, (cpuSeconds(pid) - before[k]) / wall]));
      cpu.wrk = wrkCpu / wall;
      try {
        resolve({ ...parseWrk(out), cpu });
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** The floor for any proxy in node: accept, connect round-robin, pipe both ways; no lookup, no retry. */
function barePipe(): Promise<net.Server> {
  let i = 0;
  const server = net.createServer((c) => {
    const up = net.connect({ host: BACKENDS[i++ % BACKENDS.length], port: BACKEND_PORT });
    c.pipe(up).pipe(c);
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
  });
  return new Promise((r) => server.listen(PIPE_PORT, PIPE_IP, () => r(server)));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  need('wrk', 'wrk');
  need('haproxy', 'haproxy');
  const dir = mkdtempSync(join(tmpdir(), 'mk-bench-proxy-'));
  const children: ChildProcess[] = [];
  const proxy = createProxy({ nodeName: 'bench', log: () => {} });
  let pipe: net.Server | undefined;
  try {
    children.push(await startChild(process.execPath, ['-e', backendCode], (o) => o.includes('ready')));

    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bench', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: CLUSTER_IP, ports: [{ name: 'http', port: SVC_PORT, protocol: 'TCP' }] } };
    const ep: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'bench', namespace: 'default' }, subsets: [{ addresses: BACKENDS.map((ip) => ({ ip })), ports: [{ name: 'http', port: BACKEND_PORT, protocol: 'TCP' }] }] };
    proxy.table.setEndpoints(ep);
    proxy.table.setService(svc);
    await proxy.settled();

    const conf = join(dir, 'haproxy.cfg');
    writeFileSync(conf, [
      'global',
      '  nbthread 1',
      '  maxconn 4000',
      'defaults',
      '  mode tcp',
      '  timeout connect 3s',
      '  timeout client 60s',
      '  timeout server 60s',
      'listen bench',
      `  bind ${HAPROXY_IP}:${HAPROXY_PORT}`,
      '  balance roundrobin',
      ...BACKENDS.map((ip, i) => `  server b${i} ${ip}:${BACKEND_PORT}`),
      '',
    ].join('\n'));
    const check = spawnSync('haproxy', ['-c', '-f', conf], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`bench/proxy-throughput: haproxy refuses its config: ${check.stdout}${check.stderr}`);
    const haproxy = spawn('haproxy', ['-db', '-f', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(haproxy);
    haproxy.once('exit', (code) => {
      if (code !== null && code !== 0) console.error(`haproxy exited with ${code}`);
    });

    pipe = await barePipe();
    const targets = [
      { key: 'direct', label: 'direct to a backend (the pod IP)', url: `http://${BACKENDS[0]}:${BACKEND_PORT}/` },
      { key: 'mk', label: "mk's proxy (the ClusterIP)", url: `http://${CLUSTER_IP}:${SVC_PORT}/` },
      { key: 'haproxy', label: 'haproxy 1 thread, mode tcp', url: `http://${HAPROXY_IP}:${HAPROXY_PORT}/` },
      { key: 'pipe', label: 'bare node pipe (the floor in node)', url: `http://${PIPE_IP}:${PIPE_PORT}/` },
    ] as const;
    for (const t of targets) await untilAnswers(t.url);

    console.log(`Service proxy data path on loopback: wrk -t2 -c${connections} -d${seconds}s --latency, ${rounds} interleaved rounds, 3 node:http backends (one process), load average ${loadavg()[0].toFixed(2)}`);
    const results: Record<string, WrkResult[]> = { direct: [], mk: [], haproxy: [], pipe: [] };
    const watch = { backends: children[0].pid!, 'this process (mk proxy, pipe)': process.pid, haproxy: haproxy.pid! };
    for (let r = 0; r < rounds; r++) {
      for (const t of targets) {
        const res = await wrk(t.url, watch);
        results[t.key].push(res);
        const cpu = Object.entries(res.cpu ?? {}).filter(([, v]) => v >= 0.005).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
        console.log(`  round ${r + 1} ${t.key.padEnd(8)} ${res.rps.toFixed(0).padStart(7)} req/s   p99 ${res.p99ms.toFixed(2).padStart(6)} ms   cores busy: ${cpu}${res.errors ? `   errors ${res.errors}` : ''}`);
      }
    }
    const fig = Object.fromEntries(targets.map((t) => [t.key, { rps: median(results[t.key].map((x) => x.rps)), p99ms: median(results[t.key].map((x) => x.p99ms)), errors: results[t.key].reduce((a, x) => a + x.errors, 0) }]));
    // CPU per request of the hop in the middle, and of the backends (median over rounds): robust to how much CPU others leave us
    const hopPid: Record<string, string | undefined> = { direct: undefined, mk: 'this process (mk proxy, pipe)', haproxy: 'haproxy', pipe: 'this process (mk proxy, pipe)' };
    const usPer = (key: string, proc: string) => median(results[key].map((x) => ((x.cpu?.[proc] ?? 0) * 1e6) / x.rps));
    for (const t of targets) {
      const hop = hopPid[t.key];
      const cost = `CPU/request: backends ${usPer(t.key, 'backends').toFixed(1)} us${hop ? `, proxy ${usPer(t.key, hop).toFixed(1)} us` : ''}, wrk ${usPer(t.key, 'wrk').toFixed(1)} us`;
      console.log(`${t.label.padEnd(36)} ${fig[t.key].rps.toFixed(0).padStart(7)} req/s   p99 ${fig[t.key].p99ms.toFixed(2).padStart(6)} ms   ${cost}   (median of ${rounds})${fig[t.key].errors ? `   errors ${fig[t.key].errors}` : ''}`);
    }
    const d = fig.direct, m = fig.mk, h = fig.haproxy;
    console.log(`mk/direct    req/s ${(m.rps / d.rps).toFixed(2)}x   p99 ${(m.p99ms / d.p99ms).toFixed(2)}x   (goal req/s >= 0.90x; iptables 0.96x, userspace 0.36x: kubernetes PR #16344, quoted)`);
    console.log(`mk/haproxy   req/s ${(m.rps / h.rps).toFixed(2)}x   p99 ${(m.p99ms / h.p99ms).toFixed(2)}x`);
    console.log(`mk/pipe      req/s ${(m.rps / fig.pipe.rps).toFixed(2)}x   p99 ${(m.p99ms / fig.pipe.p99ms).toFixed(2)}x   (what mk's lookup, picker and bookkeeping cost over a bare pipe)`);
    console.log(`proxy counters: ${JSON.stringify(proxy.snapshot().connections)}`);
  } finally {
    await proxy.stop();
    pipe?.close();
    for (const c of children) if (c.pid && c.exitCode === null) process.kill(c.pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
