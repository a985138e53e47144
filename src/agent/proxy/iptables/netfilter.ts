// The node's netfilter tools: iptables-restore --noflush (rules in, applied atomically),
// iptables-save (what is there, optionally with counters) and conntrack -D (flows forgotten).
// They run from one long-lived shell (shellRun): forking the agent itself for every write would
// copy its page tables each time — 30-120 ms, and a stall of its event loop, once it holds tens
// of thousands of Services — while the shell is small. `probe` says whether the tools work here
// at all — a node image without them, a kernel without nf_tables NAT, a container without
// NET_ADMIN — with the reason. Tests and benches give their own Netfilter or shell.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Netfilter {
  /** `iptables-restore --noflush` with `input` on stdin; rejects with its error text */
  restore(input: string): Promise<void>;
  /** `iptables-save -t TABLE` (with `-c`: packet and byte counters before each rule) */
  save(table: 'nat' | 'filter' | 'mangle', counters?: boolean): Promise<string>;
  /** `conntrack -D ARGS`; resolves with how many flows were deleted (0 is not an error) */
  conntrackDelete(args: string[]): Promise<number>;
  /** `iptables --version` */
  version(): Promise<string>;
  /** ends the shell the tools run from, if any */
  close?(): void;
}

export interface RunResult { code: number; stdout: string; stderr: string }

export type Run = (file: string, args: string[], input?: string) => Promise<RunResult>;

export const runFile: Run = (file, args, input) => new Promise((resolve) => {
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: -1, stdout, stderr: e.code === 'ENOENT' ? `${file}: not found` : String(e.message) }));
  child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  child.stdin.on('error', () => { /* the program exited before reading: its status says why */ });
  child.stdin.end(input ?? '');
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A Run whose programs are started by one long-lived shell (`shell`, default `sh`); their stdin
 * comes from a temporary file, their stdout and stderr come back together. Runs one at a time. */
export function shellRun(shell: string[] = ['sh']): Run & { close(): void } {
  let child: ChildProcessWithoutNullStreams | undefined;
  let out = '';
  let waiter: (() => void) | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let n = 0;
  const start = () => {
    const c = spawn(shell[0]!, shell.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    c.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; waiter?.(); });
    c.stderr.resume();
    c.stdin.on('error', () => {});
    c.on('error', () => {});
    c.on('close', () => { if (child === c) child = undefined; waiter?.(); });
    return c;
  };
  const once = async (file: string, args: string[], input?: string): Promise<RunResult> => {
    const id = `${process.pid}-${n++}`;
    const inFile = input !== undefined ? join(tmpdir(), `mk-proxy-${id}.in`) : undefined;
    if (inFile) await writeFile(inFile, input!);
    try {
      const c = (child ??= start());
      const end = `__mk_end_${id}_`;
      out = '';
      c.stdin.write(`${[file, ...args].map(quote).join(' ')} <${inFile ? quote(inFile) : '/dev/null'} 2>&1; printf '\\n${end}%d\\n' $?\n`);
      const re = new RegExp(`\\n${end}(\\d+)\\n`, 'y');
      let from = 0;
      for (;;) {
        const at = out.indexOf(`\n${end}`, from);
        re.lastIndex = at;
        const m = at >= 0 ? re.exec(out) : null;
        if (m) return { code: Number(m[1]), stdout: out.slice(0, at), stderr: out.slice(0, at) };
        from = Math.max(0, (at >= 0 ? at : out.length) - end.length - 1);
        if (child !== c) return { code: -1, stdout: out, stderr: `${shell.join(' ')} exited` };
        await new Promise<void>((r) => (waiter = r));
        waiter = undefined;
      }
    } finally {
      if (inFile) await rm(inFile, { force: true });
    }
  };
  const run = ((file: string, args: string[], input?: string) => {
    const p = queue.then(() => once(file, args, input));
    queue = p.catch(() => {});
    return p;
  }) as Run & { close(): void };
  run.close = () => { child?.stdin.end(); child = undefined; };
  return run;
}

const tail = (r: RunResult) => (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join('; ');

/** The real tools, by name on the PATH (started by one shell, unless told). */
export function hostNetfilter(run: Run & { close?: () => void } = shellRun()): Netfilter {
  return {
    close: () => run.close?.(),
    async restore(input) {
      const r = await run('iptables-restore', ['--noflush'], input);
      if (r.code !== 0) throw new Error(`iptables-restore --noflush: ${tail(r)}`);
    },
    async save(table, counters) {
      const r = await run('iptables-save', ['-t', table, ...(counters ? ['-c'] : [])]);
      if (r.code !== 0) throw new Error(`iptables-save -t ${table}: ${tail(r)}`);
      return r.stdout;
    },
    async conntrackDelete(args) {
      const r = await run('conntrack', ['-D', ...args]);
      const m = /(\d+) flow entries have been deleted/.exec(r.stderr);
      if (r.code !== 0 && !m) throw new Error(`conntrack -D ${args.join(' ')}: ${tail(r)}`);
      return m ? Number(m[1]) : 0;
    },
    async version() {
      const r = await run('iptables', ['--version']);
      if (r.code !== 0) throw new Error(`iptables --version: ${tail(r)}`);
      return r.stdout.trim();
    },
  };
}

/** Why kernel rules cannot be used here, or undefined when they can: the tools answer, the nat
 * table can be read, and a throw-away chain can be made and removed in one restore each. */
export async function probe(nf: Netfilter): Promise<string | undefined> {
  try {
    const v = await nf.version();
    if (!/nf_tables/.test(v)) return `${v} is not the nf_tables iptables (the legacy one cannot share the node's tables)`;
    await nf.save('nat');
    await nf.restore('*nat\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n');
    await nf.restore('*nat\n:KUBE-PROXY-CANARY - [0:0]\n-X KUBE-PROXY-CANARY\nCOMMIT\n');
    return undefined;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const hint = /Permission denied|Operation not permitted/i.test(msg) ? ' (the node container needs NET_ADMIN)' : /not found/.test(msg) ? ' (the node image has no iptables: install iptables and conntrack where mk runs, e.g. apt-get install -y iptables conntrack, and make the cluster again)' : '';
    return `${msg}${hint}`;
  }
}
