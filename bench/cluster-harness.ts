// What the cluster benches share: a throw-away profile `mk-bench-<random>` with HOME and
// KUBECONFIG in a temp dir, `mk` spawned as users run it (bin/mk.js under this Node), the docker
// CLI for the floors (plain `docker run -d`, labelled mk.bench=<profile>), a client for the
// cluster, percentiles and ratio formatting, and a cleanup that removes the cluster and every
// Docker object labelled with the profile (also on Ctrl-C). Nothing else on the engine is touched.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeClient } from '../src/client/index.ts';
import { dockerRuntime } from '../src/runtime/index.ts';
import type { Runtime } from '../src/runtime/types.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_LABEL = 'mk.bench';

export interface Run { stdout: string; stderr: string; code: number; ms: number }

/** Runs a program, never throws; `ms` is the wall time from spawn to exit. */
export function run(file: string, args: string[], env?: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let stdout = '';
    let stderr = '';
    const child = spawn(file, args, { env: env ?? process.env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', (e) => resolve({ stdout, stderr: stderr + String(e), code: -1, ms: performance.now() - t0 }));
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1, ms: performance.now() - t0 }));
  });
}

export function must(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  return r;
}

export interface Bench {
  profile: string;
  home: string;
  kubeconfig: string;
  env: NodeJS.ProcessEnv;
  rt: Runtime;
  /** `mk ARGS` as a user runs it */
  mk(...args: string[]): Promise<Run>;
  /** `docker ARGS`; `docker run` gets the bench label added by the caller via runFlags */
  docker(...args: string[]): Promise<Run>;
  /** flags that label a floor container so cleanup finds it */
  runFlags: string[];
  /** a client for the started cluster (after `mk start`) */
  client(): KubeClient;
  /** removes the cluster, the floor containers and volumes, and the temp HOME */
  cleanup(): Promise<void>;
}

export function newBench(): Bench {
  const profile = `mk-bench-${randomBytes(3).toString('hex')}`;
  const home = mkdtempSync(join(tmpdir(), 'mk-bench-home-'));
  const kubeconfig = join(home, 'kube', 'config');
  const env = { ...process.env, HOME: home, KUBECONFIG: kubeconfig, NO_COLOR: '1' };
  const clients: KubeClient[] = [];
  let cleaned = false;
  const b: Bench = {
    profile, home, kubeconfig, env, rt: dockerRuntime(),
    mk: (...args) => run(process.execPath, [join(ROOT, 'bin', 'mk.js'), ...args], env),
    docker: (...args) => run('docker', args, env),
    runFlags: ['--label', `${BENCH_LABEL}=${profile}`],
    client() {
      const c = KubeClient.fromKubeconfig({ path: kubeconfig, context: profile });
      clients.push(c);
      return c;
    },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      for (const c of clients) c.close();
      await b.mk('delete', '-p', profile);
      // whatever a failed start or a floor left behind, found by our labels only; a network
      // whose endpoints Docker has not released yet is tried again
      const leftovers = async () => {
        const left: string[] = [];
        for (const label of [`mk.cluster=${profile}`, `${BENCH_LABEL}=${profile}`]) {
          const ids = (await b.docker('ps', '-aq', '--filter', `label=${label}`)).stdout.split('\n').filter(Boolean);
          if (ids.length) await b.docker('rm', '-f', ...ids);
          for (const kind of ['network', 'volume']) {
            const names = (await b.docker(kind, 'ls', '-q', '--filter', `label=${label}`)).stdout.split('\n').filter(Boolean);
            if (names.length && (await b.docker(kind, 'rm', ...names)).code !== 0) left.push(...names.map((n) => `${kind} ${n}`));
          }
        }
        return left;
      };
      let left = await leftovers();
      for (let i = 0; i < 10 && left.length > 0; i++) {
        await sleep(1000);
        left = await leftovers();
      }
      if (left.length > 0) process.stderr.write(`bench: could not remove ${left.join(', ')} (docker says why: docker ${left[0]!.split(' ')[0]} rm ${left[0]!.split(' ')[1]})\n`);
      rmSync(home, { recursive: true, force: true });
    },
  };
  const onSignal = () => void b.cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return b;
}

/** Runs body with a fresh bench; the cluster and floors are removed whatever happens. */
export async function withBench(body: (b: Bench) => Promise<void>): Promise<void> {
  const b = newBench();
  try {
    await body(b);
  } finally {
    await b.cleanup();
  }
}

/** `✓ Creating node x (10.244.0.2)  0.3s` lines of `mk start` (plain output) as [title, seconds] */
export function stepTimes(stdout: string): Array<[string, number]> {
  return [...stdout.matchAll(/^✓ (.+?)  (\d+\.\d)s$/gm)].map((m) => [m[1]!, Number(m[2])]);
}

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
export const median = (xs: number[]) => pct(xs, 50);

export const ms = (x: number) => (Math.abs(x) >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
export const ratio = (a: number, b: number) => `${(a / Math.max(b, 1e-6)).toFixed(2)}x`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** `76.2MiB / 23.54GiB` (docker stats) → bytes of the first figure */
export function parseDockerBytes(text: string): number {
  const m = /^\s*([\d.]+)\s*([KMGT]?i?B)/.exec(text);
  if (!m) throw new Error(`not a docker size: ${text}`);
  const unit: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
  return Number(m[1]) * (unit[m[2]!] ?? 1);
}

export const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/** the date (for the README table) and how busy the machine was: shared machines are noisy */
export const today = () => `${new Date().toISOString().slice(0, 10)}, load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;
