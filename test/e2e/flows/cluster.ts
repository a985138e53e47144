// The harness for e2e tests on a real cluster (import everything from here): one cluster per
// test file under a random profile (`mk start`, 2 nodes unless told), HOME and KUBECONFIG in a
// temp dir, runners for `mk` and real kubectl through the written context, long-running
// children (port-forward, tunnel) that are always killed, and `teardown()` removing everything
// labelled with the profile whatever happened; MK_E2E_PROXY_MODE picks the clusters' proxy mode.
// Polling, table reading, requests and the test pods' manifests are re-exported from their files
// beside this one.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { dockerRuntime } from '../../../src/runtime/index.ts';
import { ensureTestImages } from '../../images/index.ts';
import { ROOT, kubectlCommand, mkCommand, runProcess, type Result } from '../harness.ts';
import { ok } from './poll.ts';

export { ok, poll, type PollOptions } from './poll.ts';
export { maskAge, maskTrailingAge, podRows, squash } from './tables.ts';
export { EVERY_REPLICA, SERVICE_CIDR, bridgeSubnets, endpoints, everyReplica, fromNode, fromPod, hostGet, hostnameOf, json, loopScript, nodeIPs, parseLoop, uniq, type LoopLine } from './requests.ts';
export { busyboxPod, echoDeployment } from './manifests.ts';
export { withHostRoute } from './host-route.ts';
export type { Result } from '../harness.ts';

export const KUBECTL_127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';

export type DockerKind = 'container' | 'network' | 'volume';

export interface Flow {
  profile: string;
  home: string;
  kubeconfig: string;
  env: Record<string, string>;
  /** what `mk start` printed */
  started: Result;
  mk(...args: string[]): Promise<Result>;
  /** `kubectl` is the dispatcher (the server's /version picks the binary); any other path runs as is */
  kubectl(bin: string, ...args: string[]): Promise<Result>;
  /** `mk ARGS` or `kubectl ARGS` left running; its output collected; killed by `stop()` or in teardown */
  spawn(file: 'mk' | string, args: string[]): Child;
  /** writes `content` to HOME/name and returns its path (for `apply -f`) */
  file(name: string, content: string): string;
  /** ids of the cluster's Docker objects of `kind` matching extra label filters (`k=v`) */
  labelled(kind: DockerKind, ...filters: string[]): string[];
  /** names of the cluster's Docker containers matching extra label filters (`k=v`) */
  containers(...filters: string[]): string[];
  teardown(): Promise<void>;
}

export interface Child {
  /** stdout and stderr as they came */
  output(): string;
  stdout(): string;
  /** sends `signal` (SIGTERM by default) and waits for the exit */
  stop(signal?: NodeJS.Signals): Promise<Result>;
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

/** The proxy mode the flows' clusters run in: MK_E2E_PROXY_MODE=userspace runs every suite with
 * `mk start --proxy-mode userspace`; unset, mk's default (iptables). */
export const PROXY_MODE = process.env.MK_E2E_PROXY_MODE as 'iptables' | 'userspace' | undefined;

/** Starts a cluster of `nodes` (default 2) under a fresh profile named after `name`, the test
 * images (busybox, echo) present first; `mk start` must succeed. A failed start is torn down
 * before the error is thrown. */
export async function startFlow(name: string, o: { nodes?: number } = {}): Promise<Flow> {
  await ensureTestImages(dockerRuntime());
  const nodes = o.nodes ?? 2;
  const profile = `mk-flow-${name}-${randomBytes(2).toString('hex')}`;
  const home = mkdtempSync(join(tmpdir(), `mk-flow-${name}-`));
  const kubeconfig = join(home, 'kube', 'config');
  const env = { HOME: home, KUBECONFIG: kubeconfig, NO_COLOR: '1' };
  const children: ResultPromise[] = [];
  const run = ([file, args]: [string, string[]], timeout: number) => runProcess(file, args, { env, timeout, ignoreStdin: true });
  const cmd = (file: string, args: string[]) => (file === 'mk' ? mkCommand(args) : kubectlCommand(join(home, 'kcache'), file, args));
  const labelled = (kind: DockerKind, filters: string[] = []) =>
    execFileSync('docker', [kind, 'ls', '-q', ...(kind === 'container' ? ['-a'] : []), '--filter', `label=mk.cluster=${profile}`, ...filters.flatMap((f) => ['--filter', `label=${f}`])], { encoding: 'utf8' }).split('\n').filter(Boolean);

  const flow: Flow = {
    profile, home, kubeconfig, env,
    started: { stdout: '', stderr: '', exitCode: -1 },
    mk: (...args) => run(cmd('mk', args), 180_000),
    kubectl: (bin, ...args) => run(cmd(bin, args), 60_000),
    spawn: (file, args) => {
      let out = '';
      let stdout = '';
      const child = execa(...cmd(file, args), { env, reject: false, cwd: ROOT, all: true, stdin: 'ignore', stripFinalNewline: false });
      children.push(child);
      child.all?.on('data', (c: Buffer) => (out += c.toString()));
      child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
      return {
        output: () => out,
        stdout: () => stdout,
        stop: async (signal = 'SIGTERM') => {
          child.kill(signal);
          const r = await child;
          return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
        },
      };
    },
    file: (name, content) => { const p = join(home, name); writeFileSync(p, content); return p; },
    labelled: (kind, ...filters) => labelled(kind, filters),
    containers: (...filters) => labelled('container', filters),
    teardown: async () => {
      for (const c of children) c.kill('SIGKILL');
      await run(cmd('mk', ['delete', '-p', profile]), 180_000);
      for (const c of labelled('container')) spawnSync('docker', ['rm', '-f', c]);
      for (const n of labelled('network')) spawnSync('docker', ['network', 'rm', n]);
      for (const v of labelled('volume')) spawnSync('docker', ['volume', 'rm', '-f', v]);
      rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    // several files start clusters at once: mk itself must cope (no retry here)
    flow.started = await flow.mk('start', '-p', profile, ...(nodes === 1 ? [] : ['--nodes', String(nodes)]), ...(PROXY_MODE ? ['--proxy-mode', PROXY_MODE] : []));
    ok(flow.started, `mk start --nodes ${nodes}`);
  } catch (e) {
    await flow.teardown(); // `after` never sees a flow whose start failed
    throw e;
  }
  return flow;
}
