// Benchmark: Service create latency over HTTPS keep-alive (p50/p99), watch delivery latency
// (p99, time from the create's answer to the watch event), and how creating the 20,000th
// Service compares with the 1st (median of a window at each end). Each figure comes with a
// ratio against a peer measured in the same run: a bare node https server that answers the
// same JSON (and, for watch, writes the same event to an open stream) — the floor.
// Run: npx node bench/apiserver-create.ts [total=20000]
import { Agent, createServer, request } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../src/apiserver/index.ts';

const TOTAL = Number(process.argv[2] ?? 20_000);
const WARMUP = 500; // creates before the measured sample (JIT, connection, caches)
const SAMPLE = 2000; // creates measured for p50/p99
const WATCHED = 500; // creates measured for watch delivery
const WINDOW = 200; // creates in each window of the scale ratio

interface Target { url: string; agent: Agent; token: string }

function post(t: Target, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(t.url + path, {
      method: 'POST',
      agent: t.agent,
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a watch; calls onName(name, time) for every event. */
function openWatch(t: Target, path: string, onName: (name: string, at: number) => void): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(t.url + path, { agent: new Agent({ ca: t.agent.options.ca }), headers: { authorization: `Bearer ${t.token}` } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        const at = performance.now();
        buf += d;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buf.slice(0, i));
          buf = buf.slice(i + 1);
          onName(ev.object.metadata.name, at);
        }
      });
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

const svc = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const median = (xs: number[]) => pct(xs, 50);

interface Run { latencies: number[]; watchDelays: number[]; firstWindow: number[]; lastWindow: number[] }

async function measure(t: Target, total: number): Promise<Run> {
  const path = '/api/v1/namespaces/default/services';
  const answered = new Map<string, number>();
  const delivered = new Map<string, number>();
  const watch = await openWatch(t, `${path}?watch=true&resourceVersion=0`, (name, at) => delivered.set(name, at));
  const latencies: number[] = [];
  const firstWindow: number[] = [];
  const lastWindow: number[] = [];
  for (let i = 0; i < total; i++) {
    const name = `bench-${i}`;
    const t0 = performance.now();
    const r = await post(t, path, svc(name));
    const t1 = performance.now();
    if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.text}`);
    if (i >= WARMUP && i < WARMUP + SAMPLE) latencies.push(t1 - t0);
    if (i >= WARMUP && i < WARMUP + WATCHED) answered.set(name, t1);
    if (i >= WARMUP && i < WARMUP + WINDOW) firstWindow.push(t1 - t0); // after warm-up, so JIT does not flatter the ratio
    if (i >= total - WINDOW) lastWindow.push(t1 - t0);
  }
  await new Promise((r) => setTimeout(r, 200));
  watch.destroy();
  const watchDelays = [...answered].map(([name, t1]) => Math.max(0, (delivered.get(name) ?? Infinity) - t1));
  return { latencies, watchDelays, firstWindow, lastWindow };
}

/** The floor: node https answering a fixed Service JSON, and pushing the event to open watches. */
async function bareServer(cert: string, key: string): Promise<{ url: string; close(): void }> {
  const watchers = new Set<ServerResponse>();
  let n = 0;
  const server = createServer({ cert, key, keepAlive: true }, (req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      watchers.add(res);
      res.on('close', () => watchers.delete(res));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const obj = JSON.parse(Buffer.concat(chunks).toString());
      obj.metadata.uid = `uid-${n}`;
      obj.metadata.resourceVersion = String(++n);
      const text = JSON.stringify(obj);
      for (const w of watchers) w.write(`{"type":"ADDED","object":${text}}\n`);
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => (server.closeAllConnections(), server.close()) };
}

const f = (ms: number) => `${ms.toFixed(2)} ms`;
const ratio = (a: number, b: number) => `${(a / Math.max(b, 1e-6)).toFixed(2)}x`;

const dir = mkdtempSync(join(tmpdir(), 'mk-bench-'));
const api = await startApiServer({ dataDir: dir, port: 0 });
try {
  const bare = await bareServer(readFileSync(join(dir, 'apiserver.crt'), 'utf8'), readFileSync(join(dir, 'apiserver.key'), 'utf8'));
  const agentFor = () => new Agent({ keepAlive: true, maxSockets: 1, ca: api.caPem });
  const started = performance.now();
  const floor = await measure({ url: bare.url, agent: agentFor(), token: api.token }, TOTAL);
  const mk = await measure({ url: api.url, agent: agentFor(), token: api.token }, TOTAL);
  bare.close();
  const scaleMk = median(mk.lastWindow) / median(mk.firstWindow);
  const scaleFloor = median(floor.lastWindow) / median(floor.firstWindow);
  console.log(`Services created: ${TOTAL} (mk and the bare node https floor each), ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`create latency p50   mk ${f(pct(mk.latencies, 50))}   floor ${f(pct(floor.latencies, 50))}   ratio ${ratio(pct(mk.latencies, 50), pct(floor.latencies, 50))}`);
  console.log(`create latency p99   mk ${f(pct(mk.latencies, 99))}   floor ${f(pct(floor.latencies, 99))}   ratio ${ratio(pct(mk.latencies, 99), pct(floor.latencies, 99))}   (goal p99 <= 5 ms)`);
  console.log(`watch delivery p99   mk ${f(pct(mk.watchDelays, 99))}   floor ${f(pct(floor.watchDelays, 99))}   (after the create's answer)`);
  console.log(`create #${TOTAL} / #1   mk ${scaleMk.toFixed(2)}   floor ${scaleFloor.toFixed(2)}   ratio ${(scaleMk / scaleFloor).toFixed(2)}x   (goal mk <= 2; windows of ${WINDOW} after ${WARMUP} warm-up creates and at the end, medians ${f(median(mk.firstWindow))} -> ${f(median(mk.lastWindow))})`);
} finally {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
}
