// `mk attach POD|TYPE/NAME [-c C] [-i] [-t] [-q]`: kubectl's client side of attach — the pod
// (TYPE/NAME resolved as kubectl does), the container, the terminal (a container started with a
// tty forces one; raw mode only when stdin is a terminal), the "+1 then back" resize that makes a
// shell redraw its prompt, and kubectl's lines before and after. `mk run -i` attaches through
// attachSession too.
import type { KubeObject } from '../api/types.ts';
import type { Connection, KubeClient } from '../client/index.ts';
import { attachToPod } from '../client/streams/exec-ws.ts';
import { defaultContainer, resolvePod } from '../client/streams/resolve.ts';
import { UserError } from '../lib/errors.ts';
import type { TerminalIO } from './exec.ts';

export const PROMPT_HINT = "If you don't see a command prompt, try pressing enter.\n";

export interface AttachCliOptions {
  namespace?: string;
  target: string;
  container?: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
}

export interface SessionOptions {
  container?: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
  /** how the "Session ended" line tells to attach again (`mk attach`) */
  commandName: string;
}

/** Attaches; resolves with the exit code mk should end with (messages already printed). */
export async function runAttachCommand(client: KubeClient, conn: Connection, o: AttachCliOptions, io: TerminalIO): Promise<number> {
  const namespace = client.ns(o.namespace);
  const { pod } = await resolvePod(client, namespace, o.target);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new UserError(`error: cannot attach a container in a completed pod; current phase is ${phase}`);
  return attachSession(conn, pod, { ...o, commandName: 'mk attach' }, io);
}

interface ContainerSpec {
  name: string;
  tty?: boolean;
}

/** kubectl's FindOrDefaultContainerByName: the named one (any kind), else the default with its note. */
function containerToAttach(pod: KubeObject, name: string | undefined, quiet: boolean, io: TerminalIO): ContainerSpec {
  const spec = pod.spec ?? {};
  if (name) {
    const all = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])] as ContainerSpec[];
    const found = all.find((c) => c.name === name);
    if (!found) throw new UserError(`error: cannot attach to the container: container ${name} not found in pod ${pod.metadata.name}`);
    return found;
  }
  const d = defaultContainer(pod);
  if (d.note && !quiet) io.stderr.write(`${d.note}\n`);
  return ((spec.containers ?? []) as ContainerSpec[]).find((c) => c.name === d.name) ?? { name: d.name };
}

/** The attachment itself, once the pod is known and running (kubectl AttachOptions.Run). */
export async function attachSession(conn: Connection, pod: KubeObject, o: SessionOptions, io: TerminalIO): Promise<number> {
  const c = containerToAttach(pod, o.container, o.quiet, io);
  let tty = o.tty;
  if (tty && !c.tty) {
    tty = false;
    if (!o.quiet) io.stderr.write(`error: Unable to use a TTY - container ${c.name} did not allocate one\n`);
  } else if (!tty && c.tty) {
    tty = true; // the container has a terminal: its output is one raw stream
  }
  if (!o.stdin) tty = false;
  else if (tty && !io.stdin.isTTY) {
    tty = false;
    if (!o.quiet) io.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  }
  const raw = tty && typeof io.stdin.setRawMode === 'function';
  if (!o.quiet) io.stderr.write(PROMPT_HINT);
  let onResize: (() => void) | undefined;
  if (raw) io.stdin.setRawMode!(true);
  let code: number;
  try {
    code = await attachToPod(conn, {
      namespace: pod.metadata.namespace ?? 'default',
      pod: pod.metadata.name!,
      container: c.name,
      stdin: o.stdin ? io.stdin : undefined,
      stdout: io.stdout,
      stderr: io.stderr,
      tty: raw,
      onResize: raw
        ? (send) => {
            const size = () => [io.stdout.columns ?? 80, io.stdout.rows ?? 24] as const;
            // one size larger, then the real one: a shell already at its prompt redraws it
            const [w, h] = size();
            send(w + 1, h + 1);
            send(w, h);
            onResize = () => send(...size());
            io.stdout.on('resize', onResize);
          }
        : undefined,
    });
  } finally {
    if (onResize) io.stdout.off('resize', onResize);
    if (raw) io.stdin.setRawMode!(false);
    io.stdin.pause();
  }
  if (!o.quiet && o.stdin && raw && (pod.spec?.restartPolicy ?? 'Always') === 'Always') {
    io.stdout.write(`Session ended, resume using '${o.commandName} ${pod.metadata.name} -c ${c.name} -i -t' command when the pod is running\n`);
  }
  return code;
}
