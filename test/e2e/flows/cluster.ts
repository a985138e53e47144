// Shared set-up for the tutorial flows: one real 2-node cluster per test file under a random
// profile, HOME and KUBECONFIG in a temp dir, runners for `mk` and real kubectl through the
// written context, bounded polling, long-running children (port-forward) that are always
// killed, and removal of everything labelled with the profile in `after`, whatever happened.
// MK_FLOW_TRACE=1 prints how long each poll waited (to see where a slow flow spends its time).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { ROOT, type Result } from '../harness.ts';

export const KUBECTL_127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';

export interface Flow {
  profile: string;
  home: string;
  kubeconfig: string;
  env: Record<string, string>;
  mk(...args: string[]): Promise<Result>;
  /** `kubectl` is the dispatcher (the server's /version picks the binary); any other path runs as is */
  kubectl(bin: string, ...args: string[]): Promise<Result>;
  /** `mk ARGS` or `kubectl ARGS` left running; its output collected; killed by `stop()` or in `after` */
  spawn(file: 'mk' | string, args: string[]): Child;
  /** writes `content` to HOME/name and returns its path (for `apply -f`) */
  file(name: string, content: string): string;
  /** names of the cluster's Docker containers matching extra label filters (`k=v`) */
  containers(...filters: string[]): string[];
  teardown(): Promise<void>;
}

export interface Child { output(): string; stop(): Promise<void> }

export const ok = (r: Result, what: string) => assert.equal(r.exitCode, 0, `${what} (exit ${r.exitCode}): ${r.stdout}${r.stderr}`);

/** Polls `f` every `everyMs` until it returns something other than undefined; throws after `ms`
 * with the last value seen (what the user would have looked at). */
export async function poll<T>(what: string, f: () => Promise<T | undefined>, o: { ms?: number; everyMs?: number; last?: () => string } = {}): Promise<T> {
  const start = Date.now();
  const end = start + (o.ms ?? 60_000);
  for (;;) {
    const v = await f();
    if (v !== undefined) {
      if (process.env.MK_FLOW_TRACE) process.stderr.write(`# ${what}: ${Date.now() - start} ms\n`);
      return v;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${o.last ? `; last seen:\n${o.last()}` : ''}`);
    await new Promise((r) => setTimeout(r, o.everyMs ?? 250));
  }
}

/** A TCP port free on 127.0.0.1 (and, when it has one, ::1), `prefer` when it is free. */
export async function freePort(prefer?: number): Promise<number> {
  const tryPort = (port: number, host: string) => new Promise<number | undefined>((res) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) => res(e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT' ? port : undefined));
    s.listen(port, host, () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); });
  });
  if (prefer !== undefined && (await tryPort(prefer, '127.0.0.1')) && (await tryPort(prefer, '::1'))) return prefer;
  for (let i = 0; i < 20; i++) {
    const p = await tryPort(0, '127.0.0.1');
    if (p !== undefined && (await tryPort(p, '::1')) !== undefined) return p;
  }
  throw new Error('no free local port');
}

/** The host tools the flows drive (redis-cli, tmux): installed with Debian's packages when
 * missing, as scripts/ensure-docker.sh's apt-get line does, when we are root. */
export function ensureHostTools(): void {
  const missing = ['redis-cli', 'redis-server', 'tmux'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing on this machine: ${missing.join(', ')}; install: apt-get install -y redis-server redis-tools tmux`);
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server', 'redis-tools', 'tmux'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`apt-get install redis-server redis-tools tmux failed: ${r.stderr}`);
}

export async function startFlow(name: string): Promise<Flow> {
  const profile = `mk-flow-${name}-${randomBytes(2).toString('hex')}`;
  const home = mkdtempSync(join(tmpdir(), `mk-flow-${name}-`));
  const kubeconfig = join(home, 'kube', 'config');
  const env = { HOME: home, KUBECONFIG: kubeconfig, NO_COLOR: '1' };
  const children: ResultPromise[] = [];
  const run = async (file: string, args: string[], timeout: number): Promise<Result> => {
    const r = await execa(file, args, { env, reject: false, cwd: ROOT, timeout, stripFinalNewline: false, stdin: 'ignore' });
    return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
  };
  const cmd = (file: string, args: string[]): [string, string[]] =>
    file === 'mk' ? [process.execPath, [join(ROOT, 'bin', 'mk.js'), ...args]]
      : [file, [`--cache-dir=${join(home, 'kcache', file.replace(/\W/g, '_'))}`, ...args]];
  const labelled = (kind: 'container' | 'network' | 'volume', filters: string[] = []) =>
    execFileSync('docker', [kind, 'ls', '-q', ...(kind === 'container' ? ['-a'] : []), '--filter', `label=mk.cluster=${profile}`, ...filters.flatMap((f) => ['--filter', `label=${f}`])], { encoding: 'utf8' }).split('\n').filter(Boolean);

  const flow: Flow = {
    profile, home, kubeconfig, env,
    mk: (...args) => run(...cmd('mk', args), 120_000),
    kubectl: (bin, ...args) => run(...cmd(bin, args), 60_000),
    spawn: (file, args) => {
      let out = '';
      const child = execa(...cmd(file, args), { env, reject: false, cwd: ROOT, all: true, stdin: 'ignore' });
      children.push(child);
      child.all?.on('data', (c: Buffer) => (out += c.toString()));
      return { output: () => out, stop: async () => { child.kill('SIGTERM'); await child; } };
    },
    file: (name, content) => { const p = join(home, name); writeFileSync(p, content); return p; },
    containers: (...filters) => labelled('container', filters),
    teardown: async () => {
      for (const c of children) c.kill('SIGKILL');
      await run(...cmd('mk', ['delete', '-p', profile]), 120_000);
      for (const c of labelled('container')) spawnSync('docker', ['rm', '-f', c]);
      for (const n of labelled('network')) spawnSync('docker', ['network', 'rm', n]);
      for (const v of labelled('volume')) spawnSync('docker', ['volume', 'rm', '-f', v]);
      rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    ok(await flow.mk('start', '-p', profile, '--nodes', '2'), 'mk start --nodes 2');
  } catch (e) {
    await flow.teardown(); // `after` never sees a flow whose start failed
    throw e;
  }
  return flow;
}

/** Pod rows of `mk get pods` (or kubectl's) as {name, ready, status, node?}: what the user reads. */
export function podRows(table: string): Array<{ name: string; ready: string; status: string; restarts: string; node?: string }> {
  const lines = table.split('\n').filter(Boolean);
  const head = lines.shift() ?? '';
  const nodeAt = head.indexOf('NODE ');
  return lines.map((l) => {
    const [name, ready, status, restarts] = l.split(/\s+/);
    const node = nodeAt >= 0 ? l.slice(nodeAt).split(/\s+/)[0] : undefined;
    return { name: name!, ready: ready!, status: status!, restarts: restarts!, node };
  });
}
