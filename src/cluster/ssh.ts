// `mk ip` and `mk ssh`: a node's address on the cluster network, and a command (default: an
// interactive shell) run in a node container through the runtime's exec, with a real terminal
// when asked; the command's exit code is returned. A command that cannot start prints the
// engine's own words and gives 127 (not found) or 126 (not executable), as `docker exec` does.
import type { Readable, Writable } from 'node:stream';
import { execFailureExitCode, isExecFailed } from '../runtime/errors.ts';
import type { Runtime } from '../runtime/types.ts';
import { networkName } from './names.ts';
import { findNodes, pickNode } from './nodes.ts';
import { UserError } from '../lib/errors.ts';

export async function nodeAddress(rt: Runtime, profile: string, node?: string): Promise<string> {
  const n = pickNode(await findNodes(rt, profile), profile, node);
  const st = await rt.inspectContainer(n.id);
  const ip = st.ips[networkName(profile)];
  if (!ip) throw new UserError(`node ${n.name} is not running`, `Start it with "mk start -p ${profile}".`);
  return ip;
}

export interface Terminal {
  stdin: Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number; on(ev: 'resize', f: () => void): unknown; off(ev: 'resize', f: () => void): unknown };
  stderr: Writable;
}

export interface SshOptions {
  node?: string;
  /** empty: an interactive shell */
  command: string[];
  /** allocate a terminal; default: when stdin and stdout are terminals */
  tty?: boolean;
}

export async function sshNode(rt: Runtime, profile: string, o: SshOptions, term: Terminal): Promise<number> {
  const n = pickNode(await findNodes(rt, profile), profile, o.node);
  if (!n.running) throw new UserError(`node ${n.name} is not running`, `Start it with "mk start -p ${profile}".`);
  const interactive = o.command.length === 0;
  const tty = o.tty ?? (Boolean(term.stdin.isTTY) && Boolean(term.stdout.isTTY));
  const cmd = interactive ? ['sh', '-l'] : o.command;
  const stdin = interactive || !term.stdin.isTTY;
  const s = await rt.exec(n.id, cmd, { tty, stdin, env: tty ? ['TERM=' + (process.env.TERM || 'xterm')] : undefined });
  s.stdout.pipe(term.stdout, { end: false });
  s.stderr.pipe(term.stderr, { end: false });
  const resize = () => void s.resize(term.stdout.columns ?? 80, term.stdout.rows ?? 24).catch(() => {});
  if (tty) {
    term.stdin.setRawMode?.(true);
    term.stdout.on('resize', resize);
    resize();
  }
  if (s.stdin) term.stdin.pipe(s.stdin);
  try {
    return await s.exitCode();
  } catch (e) {
    if (!isExecFailed(e)) throw e;
    const message = (e as Error).message;
    term.stderr.write(`${message}\n`);
    return execFailureExitCode(message);
  } finally {
    if (s.stdin) term.stdin.unpipe(s.stdin);
    if (tty) {
      term.stdout.off('resize', resize);
      term.stdin.setRawMode?.(false);
    }
    term.stdin.pause();
    // a pipe nobody closes would keep mk waiting after the command ended
    if (s.stdin && !term.stdin.isTTY) term.stdin.destroy();
  }
}
