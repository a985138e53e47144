// exec and attach, client end, over WebSocket `v5.channel.k8s.io` (what kubectl 1.30+ speaks):
// binary messages whose first byte is the channel (0 stdin, 1 stdout, 2 stderr, 3 status,
// 4 resize); `[255, 0]` closes stdin. The status on channel 3 decides the result: Success → 0,
// NonZeroExitCode → its exit code, any other Failure → a UserError with the Status message.
// attach is the same exchange on pods/attach, with the container's main process (no command).
import type { IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { WebSocket } from 'ws';
import type { Connection } from '../index.ts';
import { query, resourcePath } from '../paths.ts';
import { R } from '../../api/resources.ts';
import { UserError } from '../../lib/errors.ts';
import { upgradeError } from './connection.ts';

export const EXEC_PROTOCOL = 'v5.channel.k8s.io';
const CH = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;
const PODS = R.pods;

export interface AttachOptions {
  namespace: string;
  pod: string;
  container?: string;
  stdin?: Readable; // absent: no stdin channel
  stdout: Writable;
  stderr: Writable;
  tty: boolean;
  /** With a TTY: registers the sender of terminal sizes (call it with the first size at once). */
  onResize?(send: (width: number, height: number) => void): void;
}

export interface ExecOptions extends AttachOptions {
  command: string[];
}

interface ExecStatus {
  status?: string;
  reason?: string;
  message?: string;
  code?: number;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/** Runs the command in the pod; resolves with its exit code, rejects when it could not run. */
export function execInPod(conn: Connection, o: ExecOptions): Promise<number> {
  const q = new URLSearchParams();
  for (const c of o.command) q.append('command', c);
  return streamPod(conn, 'exec', q.toString(), o);
}

/** Attaches to the container's main process; resolves with 0 when the attachment ends. */
export function attachToPod(conn: Connection, o: AttachOptions): Promise<number> {
  return streamPod(conn, 'attach', '', o);
}

function streamPod(conn: Connection, sub: 'exec' | 'attach', commands: string, o: AttachOptions): Promise<number> {
  const extra = query({ container: o.container, stdin: o.stdin ? true : undefined, stdout: true, stderr: o.tty ? undefined : true, tty: o.tty ? true : undefined });
  const q = [commands, extra.replace('?', '')].filter(Boolean).join('&');
  const path = `${resourcePath(PODS, { namespace: o.namespace, name: o.pod, subresource: sub })}?${q}`;
  const url = new URL(path, conn.server.replace(/^http/, 'ws'));
  const headers: Record<string, string> = { 'user-agent': 'mk' };
  if (conn.token) headers.authorization = `Bearer ${conn.token}`;
  const ws = new WebSocket(url, [EXEC_PROTOCOL], { headers, ca: conn.caPem, rejectUnauthorized: !conn.insecure, perMessageDeflate: false });

  return new Promise<number>((resolve, reject) => {
    let status: ExecStatus | undefined;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      o.stdin?.unpipe();
      o.stdin?.pause();
      fn();
    };
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => settle(() => reject(upgradeError(res.statusCode ?? 500, Buffer.concat(chunks).toString()))));
      res.on('error', (e) => settle(() => reject(e)));
    });
    ws.on('error', (e: NodeJS.ErrnoException) => settle(() => reject(connectionError(e, conn.server))));
    ws.on('open', () => {
      if (o.stdin) {
        o.stdin.on('data', (chunk: Buffer | string) => {
          if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([CH.stdin]), Buffer.from(chunk)]));
        });
        o.stdin.on('end', () => {
          if (ws.readyState === ws.OPEN) ws.send(Buffer.from([CH.close, CH.stdin]));
        });
        o.stdin.resume();
      }
      o.onResize?.((width, height) => {
        if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([CH.resize]), Buffer.from(JSON.stringify({ Width: width, Height: height }))]));
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary || data.length === 0) return;
      const body = data.subarray(1);
      if (data[0] === CH.stdout) o.stdout.write(body);
      else if (data[0] === CH.stderr) o.stderr.write(body);
      else if (data[0] === CH.status) {
        try {
          status = JSON.parse(body.toString()) as ExecStatus;
        } catch {
          status = { status: 'Failure', message: `error decoding the exec status: ${body.toString()}` };
        }
      }
    });
    ws.on('close', () => settle(() => {
      try {
        resolve(exitCodeOf(status));
      } catch (e) {
        reject(e);
      }
    }));
  });
}

/** client-go's errorDecoderV4: the exit code a status stands for, or the failure it reports. */
export function exitCodeOf(s: ExecStatus | undefined): number {
  if (!s || s.status === 'Success') return 0;
  if (s.reason === 'NonZeroExitCode') {
    const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (!Number.isInteger(code)) throw new UserError(`error: error stream protocol error: invalid exit code value ${JSON.stringify(cause?.message)}`);
    return code;
  }
  throw new UserError(`error: ${s.message ?? 'unknown exec failure'}`); // kubectl prints the Status message as is
}

function connectionError(e: NodeJS.ErrnoException, server: string): Error {
  const host = new URL(server).host;
  if (e.code === 'ECONNREFUSED') return new UserError(`The connection to the server ${host} was refused - did you specify the right host or port?`, undefined, { cause: e });
  return new UserError(`error: ${e.message}`, undefined, { cause: e });
}
