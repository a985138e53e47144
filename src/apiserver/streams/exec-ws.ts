// exec over WebSocket (kubectl 1.30+): subprotocol v5.channel.k8s.io (v4 as fallback). Binary
// messages whose first byte is the channel: 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize;
// `[255, ch]` closes a channel (v5). The status goes on channel 3, then a normal close (1000).
// `ws` answers kubectl's pings.
import type { IncomingMessage } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { runExec } from './exec-run.ts';
import { parseSize } from './resize.ts';
import type { TerminalSize } from './resize.ts';
import type { ExecBackend, ExecRequest } from './types.ts';
import { acceptWebSocket, headerValues, negotiate, refuseProtocols } from './upgrade.ts';

export const WS_EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** A writable whose chunks go out as binary messages on one channel. */
function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) return cb();
      ws.send(Buffer.concat([Buffer.from([channel]), chunk]), { binary: true }, () => cb());
    },
  });
}

export function handleWebSocketExec(req: IncomingMessage, socket: Duplex, head: Buffer, backend: ExecBackend, params: ExecRequest): void {
  const offered = headerValues(req, 'sec-websocket-protocol');
  const protocol = negotiate(offered, WS_EXEC_PROTOCOLS);
  if (!protocol) return refuseProtocols(socket, offered, WS_EXEC_PROTOCOLS);
  void acceptWebSocket(req, socket, head, protocol).then((ws) => serve(ws, protocol, backend, params));
}

function serve(ws: WebSocket, protocol: string, backend: ExecBackend, params: ExecRequest): void {
  const stdin = params.stdin ? new PassThrough() : undefined;
  let onResize: ((s: TerminalSize) => void) | undefined;
  const pendingSizes: TerminalSize[] = [];
  const endStdin = () => stdin?.end();

  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary || data.length === 0) return;
    const ch = data[0];
    const body = data.subarray(1);
    if (ch === CHANNEL.stdin) {
      if (stdin && !stdin.writableEnded && body.length) stdin.write(body);
    } else if (ch === CHANNEL.resize) {
      const size = parseSize(body.toString());
      if (size) (onResize ? onResize(size) : pendingSizes.push(size));
    } else if (ch === CHANNEL.close && protocol === 'v5.channel.k8s.io' && body[0] === CHANNEL.stdin) {
      endStdin();
    }
  });
  ws.on('close', endStdin);
  ws.on('error', endStdin);

  void runExec(backend, params, {
    stdin,
    stdout: params.stdout ? channelWriter(ws, CHANNEL.stdout) : undefined,
    stderr: params.stderr && !params.tty ? channelWriter(ws, CHANNEL.stderr) : undefined,
    onResize: params.tty
      ? (cb) => {
          onResize = cb;
          pendingSizes.splice(0).forEach(cb);
        }
      : undefined,
    onClientGone: (cb) => ws.once('close', cb),
    finish: async (status) => {
      if (ws.readyState === ws.OPEN) {
        await new Promise<void>((resolve) => ws.send(Buffer.concat([Buffer.from([CHANNEL.error]), Buffer.from(JSON.stringify(status))]), { binary: true }, () => resolve()));
        ws.close(1000);
      }
    },
  });
}
