// The node's netfilter tools, run as child processes: iptables-restore --noflush (rules in, on
// stdin, applied atomically), iptables-save (what is there, optionally with counters) and
// conntrack -D (flows forgotten). `probe` says whether they work here at all — a node image
// without them, a kernel without nf_tables NAT, a container without NET_ADMIN — with the reason.
// Tests and benches give their own Netfilter.
import { spawn } from 'node:child_process';

export interface Netfilter {
  /** `iptables-restore --noflush` with `input` on stdin; rejects with its error text */
  restore(input: string): Promise<void>;
  /** `iptables-save -t TABLE` (with `-c`: packet and byte counters before each rule) */
  save(table: 'nat' | 'filter', counters?: boolean): Promise<string>;
  /** `conntrack -D ARGS`; resolves with how many flows were deleted (0 is not an error) */
  conntrackDelete(args: string[]): Promise<number>;
  /** `iptables --version` */
  version(): Promise<string>;
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

const tail = (r: RunResult) => (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join('; ');

/** The real tools, by name on the PATH. */
export function hostNetfilter(run: Run = runFile): Netfilter {
  return {
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
      const m = /(\d+) flow entries have been deleted/.exec(r.stderr + r.stdout);
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
