// `mk exec POD|TYPE/NAME [-c C] [-i] [-t] -- CMD…`: kubectl's client side of exec — pick the pod
// and container (with kubectl's notes), set up the terminal for -it (raw mode, sizes, restore),
// run the command through pods/exec and turn its status into mk's exit code and messages.
import type { Readable, Writable } from 'node:stream';
import type { KubeClient, Connection } from '../client/index.ts';
import { execInPod } from '../client/streams/exec-ws.ts';
import { defaultContainer, resolvePod } from '../client/streams/resolve.ts';
import { UserError } from '../lib/errors.ts';

export interface ExecCliOptions {
  namespace?: string;
  target: string;
  container?: string;
  stdin: boolean;
  tty: boolean;
  command: string[];
}

/** The process streams, or stand-ins in tests. */
export interface TerminalIO {
  stdin: Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number; on(ev: 'resize', cb: () => void): unknown };
  stderr: Writable;
}

/** Runs the command; resolves with the exit code mk should end with (messages already printed). */
export async function runExecCommand(client: KubeClient, conn: Connection, o: ExecCliOptions, io: TerminalIO): Promise<number> {
  if (o.command.length === 0) throw new UserError('error: you must specify at least one command for the container');
  const namespace = client.ns(o.namespace);
  const { pod } = await resolvePod(client, namespace, o.target);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new UserError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  let container = o.container;
  if (!container) {
    const d = defaultContainer(pod);
    container = d.name;
    if (d.note) io.stderr.write(`${d.note}\n`);
  }
  let tty = o.tty && o.stdin;
  if (tty && !io.stdin.isTTY) {
    io.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    tty = false;
  }
  const raw = tty && typeof io.stdin.setRawMode === 'function';
  let onResize: (() => void) | undefined;
  if (raw) io.stdin.setRawMode!(true);
  try {
    const code = await execInPod(conn, {
      namespace,
      pod: pod.metadata.name!,
      container,
      command: o.command,
      stdin: o.stdin ? io.stdin : undefined,
      stdout: io.stdout,
      stderr: io.stderr,
      tty,
      onResize: tty
        ? (send) => {
            const now = () => send(io.stdout.columns ?? 80, io.stdout.rows ?? 24);
            now();
            onResize = now;
            io.stdout.on('resize', now);
          }
        : undefined,
    });
    if (code !== 0) io.stderr.write(`command terminated with exit code ${code}\n`);
    return code;
  } catch (e) {
    throw withShellHint(e, o.command[0]!, pod.metadata.name!, namespace === client.defaultNamespace ? undefined : namespace);
  } finally {
    if (onResize) io.stdout.off('resize', onResize);
    if (raw) io.stdin.setRawMode!(false);
    io.stdin.pause();
  }
}

/** Images often lack bash (seed 000): say which shell to try when the executable is missing. */
function withShellHint(e: unknown, cmd: string, pod: string, namespace?: string): unknown {
  if (!(e instanceof UserError) || !/executable file not found|no such file or directory/.test(e.message)) return e;
  const ns = namespace ? ` -n ${namespace}` : '';
  const hint = cmd === 'sh' ? `the image has no shell at ${cmd}; run a command it contains instead` : `"${cmd}" is not in the container's image; try sh instead: mk exec${ns} -it ${pod} -- sh`;
  return new UserError(e.message, hint, { cause: e });
}
