// exec over SPDY/3.1 (kubectl 1.27–1.29, and 1.30's fallback): after the 101, kubectl opens one
// stream per channel, named by its `streamtype` header (error, stdin, stdout, stderr, resize).
// When every expected stream is open the command starts; at the end the status goes on the
// error stream, every stream gets FIN, and the connection closes once kubectl hangs up.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { runExec } from './exec-run.ts';
import { errorStatus } from './exec-status.ts';
import { ResizeDecoder } from './resize.ts';
import { SpdySession } from '../../lib/spdy/session.ts';
import type { SpdyStream } from '../../lib/spdy/stream.ts';
import type { ExecBackend, ExecRequest } from './types.ts';
import { acceptSpdy, headerValues, negotiate, refuseProtocols } from './upgrade.ts';

/** Protocols served over SPDY, in order of preference (v5 adds nothing over SPDY: FIN closes a stream). */
export const SPDY_EXEC_PROTOCOLS = ['v4.channel.k8s.io', 'v5.channel.k8s.io'] as const;

/** How long to wait for kubectl to open its streams, and to hang up after the status. */
const STREAMS_TIMEOUT_MS = 30_000;
const HANGUP_TIMEOUT_MS = 10_000;

export function expectedStreams(req: ExecRequest): string[] {
  const want = ['error'];
  if (req.stdin) want.push('stdin');
  if (req.stdout) want.push('stdout');
  if (req.stderr && !req.tty) want.push('stderr');
  if (req.tty) want.push('resize');
  return want;
}

export function handleSpdyExec(req: IncomingMessage, socket: Duplex, head: Buffer, backend: ExecBackend, params: ExecRequest): void {
  const offered = headerValues(req, 'x-stream-protocol-version');
  const protocol = negotiate(offered, SPDY_EXEC_PROTOCOLS);
  if (!protocol) return refuseProtocols(socket, offered, SPDY_EXEC_PROTOCOLS);
  acceptSpdy(socket, head, protocol);

  const want = new Set(expectedStreams(params));
  const streams = new Map<string, SpdyStream>();
  let started = false;
  const timer = setTimeout(() => void session.close(), STREAMS_TIMEOUT_MS);

  const session: SpdySession = new SpdySession(socket, {
    role: 'server',
    onStream(stream) {
      const type = stream.header('streamtype') ?? '';
      if (started || !want.has(type) || streams.has(type)) {
        stream.reset();
        return;
      }
      stream.on('error', () => undefined);
      streams.set(type, stream);
      if (streams.size === want.size) start();
    },
  });
  session.on('close', () => clearTimeout(timer));

  function start(): void {
    started = true;
    clearTimeout(timer);
    const errorStream = streams.get('error') as SpdyStream;
    errorStream.resume(); // kubectl sends nothing on it
    const resize = streams.get('resize');
    void runExec(backend, params, {
      stdin: streams.get('stdin'),
      stdout: streams.get('stdout'),
      stderr: streams.get('stderr'),
      onResize: resize
        ? (cb) => {
            const dec = new ResizeDecoder();
            resize.on('data', (chunk: Buffer) => dec.push(chunk).forEach(cb));
          }
        : undefined,
      onClientGone: (cb) => session.once('close', cb),
      finish: async (status) => {
        await new Promise<void>((resolve) => errorStream.end(JSON.stringify(status), () => resolve()));
        for (const s of streams.values()) if (!s.writableEnded) s.end();
        // kubectl closes the connection once it has read the status; closing first could drop
        // frames it has read but not yet handled.
        const t = setTimeout(() => void session.close(), HANGUP_TIMEOUT_MS);
        session.on('close', () => clearTimeout(t));
      },
    }).catch((err: unknown) => {
      errorStream.end(JSON.stringify(errorStatus(err)));
      void session.close();
    });
  }
}
