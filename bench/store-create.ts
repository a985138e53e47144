// Store create cost on a file database (WAL): p50/p99 of single creates, and the ratio of the
// last 1000 creates' mean to the first 1000's, measured in one run. The store must stay
// O(log n): the ratio should be near 1 (the API-level bench demands <= 2 for the 20,000th Service).
// Usage: npx node bench/store-create.ts [count=20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../src/store/index.ts';

const count = Number(process.argv[2] ?? 20000);
const dir = mkdtempSync(join(tmpdir(), 'mk-bench-store-'));
const store = Store.open(join(dir, 'state.db'));
const times: number[] = [];
try {
  for (let i = 0; i < count; i++) {
    const name = `svc-${i}`;
    const obj = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: `uid-${i}`, labels: { app: name } }, spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], selector: { app: name } } };
    const t0 = process.hrtime.bigint();
    store.create(`/core/services/default/${name}`, obj);
    times.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  const listT0 = process.hrtime.bigint();
  const n = store.list('/core/services/default/').items.length;
  const listMs = Number(process.hrtime.bigint() - listT0) / 1e6;
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
  const window = Math.min(1000, Math.floor(count / 2));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(times.slice(0, window));
  const last = mean(times.slice(-window));
  console.log(`store create x${count} (file, WAL): p50 ${pct(50)} µs, p99 ${pct(99)} µs`);
  console.log(`mean of first ${window}: ${first.toFixed(1)} µs, last ${window}: ${last.toFixed(1)} µs, ratio ${(last / first).toFixed(2)}`);
  console.log(`list of ${n}: ${listMs.toFixed(1)} ms`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
