// The e2e harness: an in-process API server on a temp data dir, a temp kubeconfig pointing at
// it, and runners for real kubectl binaries and for `mk` (bin/mk.js under the same Node).
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
  const run = async (file: string, args: string[], input?: string): Promise<Result> => {
    const r = await execa(file, args, { env, reject: false, input, cwd: ROOT, timeout: 60_000, stripFinalNewline: false });
    return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
  };
  return {
    dir,
    kubeconfig,
    kubectl: (bin, args, input) => run(bin, [`--cache-dir=${join(dir, 'cache', bin.replace(/\W/g, '_'))}`, ...args], input),
    mk: (args, input) => run(process.execPath, [join(ROOT, 'bin', 'mk.js'), ...args], input),
    mkStream: (args) => {
      let out = '';
      const child = execa(process.execPath, [join(ROOT, 'bin', 'mk.js'), ...args], { env, reject: false, cwd: ROOT });
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

/** Masks AGE cells (`5s`, `3m10s`, `2d3h`) keeping their width, so tables taken apart compare. */
export function maskAge(table: string): string {
  return table.replace(/(?<=\s)\d+[smhdy](\d+[smhd])?(?=\s|$)/gm, (m) => '~'.repeat(m.length));
}
