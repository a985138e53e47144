// Running a real kubectl against the stand-in: to completion (exec), or in the background until
// a line appears (port-forward). Only processes started here are ever killed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { StandIn } from './stand-in.ts';

export interface Result {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function kubectl(s: StandIn, minor: number, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(s.kubectlPath(minor), s.kubectlArgs(args), { env: { ...s.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode: code ?? -1 });
    });
    child.stdin.end(input ?? '');
  });
}

export interface Background {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of re in stdout+stderr. */
  waitFor(re: RegExp): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

export function kubectlBackground(s: StandIn, minor: number, args: string[], env: NodeJS.ProcessEnv = {}): Background {
  const child = spawn(s.kubectlPath(minor), s.kubectlArgs(args), { env: { ...s.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const feed = (d: Buffer) => {
    out += d;
    for (const w of waiters.slice()) {
      const m = w.re.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on('data', feed);
  child.stderr!.on('data', feed);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    child,
    output: () => out,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const m = re.exec(out);
        if (m) return resolve(m);
        waiters.push({ re, resolve });
        void exited.then(() => reject(new Error(`kubectl exited before ${re}: ${out}`)));
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
