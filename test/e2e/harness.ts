// The e2e harness: an in-process API server on a temp data dir, a temp kubeconfig pointing at
// it, and runners for real kubectl binaries and for `mk` (bin/mk.js under the same Node). The
// process runners (`runProcess`, `mkCommand`, `kubectlCommand`) are shared with the real-cluster
// harness in flows/cluster.ts; table masking lives in flows/tables.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startApiServer } from '../../src/apiserver/index.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KUBECTLS = ['kubectl', '/usr/lib/google-cloud-sdk/bin/kubectl.1.27', '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'];

export interface Result {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `file ARGS` in the repository root with only `env` (never rejects): what it printed and its exit code.
 * `input` feeds stdin; `ignoreStdin` closes it (for long-lived commands that must not wait on a terminal). */
export async function runProcess(file: string, args: string[], o: { env: Record<string, string>; timeout: number; input?: string; ignoreStdin?: boolean }): Promise<Result> {
  const r = await execa(file, args, { env: o.env, reject: false, cwd: ROOT, timeout: o.timeout, stripFinalNewline: false, ...(o.input !== undefined ? { input: o.input } : o.ignoreStdin ? { stdin: 'ignore' as const } : {}) });
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
}

/** `mk ARGS` as a command line: bin/mk.js under this Node. */
export const mkCommand = (args: string[]): [string, string[]] => [process.execPath, [join(ROOT, 'bin', 'mk.js'), ...args]];

/** `BIN ARGS` for a kubectl binary, with its own discovery cache under `dir` (binaries never share one). */
export const kubectlCommand = (dir: string, bin: string, args: string[]): [string, string[]] =>
  [bin, [`--cache-dir=${join(dir, bin.replace(/\W/g, '_'))}`, ...args]];

export interface Harness {
  dir: string;
  kubeconfig: string;
  kubectl(bin: string, args: string[], input?: string): Promise<Result>;
  mk(args: string[], input?: string): Promise<Result>;
  /** Starts `mk ARGS` and collects its stdout until `stop()`. */
  mkStream(args: string[]): { output(): string; stop(): Promise<void> };
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'mk-e2e-'));
  const srv = await startApiServer({ dataDir: join(dir, 'data'), port: 0 });
  const kubeconfig = join(dir, 'kubeconfig');
  saveClusterAccess({ profile: 'mk', server: srv.url, caPem: srv.caPem, token: srv.token }, { path: kubeconfig });
  const env = { KUBECONFIG: kubeconfig, HOME: dir, NO_COLOR: '1' };
  const run = ([file, args]: [string, string[]], input?: string) => runProcess(file, args, { env, timeout: 60_000, input });
  return {
    dir,
    kubeconfig,
    kubectl: (bin, args, input) => run(kubectlCommand(join(dir, 'cache'), bin, args), input),
    mk: (args, input) => run(mkCommand(args), input),
    mkStream: (args) => {
      let out = '';
      const child = execa(...mkCommand(args), { env, reject: false, cwd: ROOT });
      child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      return {
        output: () => out,
        stop: async () => {
          child.kill('SIGTERM');
          await child;
        },
      };
    },
    close: async () => {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
