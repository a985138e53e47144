// port-forward: always SPDY/3.1, either straight after `101 Upgrade: SPDY/3.1` (kubectl 1.27–1.30,
// protocol portforward.k8s.io) or carried as raw bytes in the binary messages of a WebSocket
// with subprotocol SPDY/3.1+portforward.k8s.io (kubectl 1.31+). For each local connection kubectl
// opens an `error` and a `data` stream with the same `requestid` and the remote `port`; once
// both are open we connect to the pod's port and copy both ways. A failure is text on the error
// stream; at the end both streams get FIN.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream } from 'ws';
import { SpdySession } from '../../lib/spdy/session.ts';
import type { SpdyStream } from '../../lib/spdy/stream.ts';
import type { PortForwardBackend } from './types.ts';
import { acceptSpdy, acceptWebSocket, headerValues, isWebSocket, negotiate, refuseProtocols } from './upgrade.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const PORT_FORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

interface Pair {
  port: string;
  error?: SpdyStream;
  data?: SpdyStream;
}

export function handlePortForwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, backend: PortForwardBackend, ns: string, pod: string): void {
  if (isWebSocket(req)) {
    const offered = headerValues(req, 'sec-websocket-protocol');
    const ours = [PORT_FORWARD_TUNNEL_PROTOCOL] as const;
    if (!negotiate(offered, ours)) return refuseProtocols(socket, offered, ours);
    void acceptWebSocket(req, socket, head, PORT_FORWARD_TUNNEL_PROTOCOL).then((ws) => {
      const tunnel = createWebSocketStream(ws, { allowHalfOpen: false });
      tunnel.on('error', () => undefined);
      servePortForward(tunnel, backend, ns, pod);
    });
    return;
  }
  const offered = headerValues(req, 'x-stream-protocol-version');
  const ours = [PORT_FORWARD_PROTOCOL] as const;
  if (!negotiate(offered, ours)) return refuseProtocols(socket, offered, ours);
  acceptSpdy(socket, head, PORT_FORWARD_PROTOCOL);
  servePortForward(socket, backend, ns, pod);
}

/** Serves the port-forward SPDY session on an already upgraded byte stream. */
export function servePortForward(transport: Duplex, backend: PortForwardBackend, ns: string, pod: string): SpdySession {
  const pairs = new Map<string, Pair>();
  return new SpdySession(transport, {
    role: 'server',
    onStream(stream) {
      stream.on('error', () => undefined);
      const type = stream.header('streamtype');
      const port = stream.header('port') ?? '';
      const id = stream.header('requestid') ?? String(stream.id); // old clients: no requestid
      if (type !== 'error' && type !== 'data') {
        stream.reset();
        return;
      }
      const pair = pairs.get(id) ?? { port };
      if (pair[type]) {
        stream.reset();
        return;
      }
      pair[type] = stream;
      pairs.set(id, pair);
      if (pair.error && pair.data) {
        pairs.delete(id);
        void forward(backend, ns, pod, pair.port, pair.error, pair.data);
      }
    },
  });
}

export function forwardError(port: number | string, pod: string, message: string): string {
  return `error forwarding port ${port} to pod ${pod}, uid : ${message}`;
}

async function forward(backend: PortForwardBackend, ns: string, pod: string, portText: string, errorStream: SpdyStream, data: SpdyStream): Promise<void> {
  errorStream.resume(); // kubectl only reads it
  const port = Number(portText);
  const fail = (message: string) => {
    errorStream.end(message);
    data.end();
    data.resume();
  };
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return fail(`invalid port: "${portText}"`);
  let target: Duplex;
  try {
    target = await backend.connect(ns, pod, port);
  } catch (err) {
    return fail(forwardError(port, pod, err instanceof Error ? err.message : String(err)));
  }
  let failure: string | null = null;
  target.on('error', (err: Error) => {
    failure ??= forwardError(port, pod, err.message);
  });
  data.pipe(target); // kubectl's FIN (local connection closed) half-closes the pod side
  target.pipe(data); // the pod side closing ends with FIN to kubectl
  data.on('close', () => {
    if (!data.writableFinished) target.destroy(); // reset by kubectl
  });
  await new Promise<void>((resolve) => {
    target.on('close', () => resolve());
    data.on('close', () => resolve());
  });
  if (!data.writableEnded) data.end();
  errorStream.end(failure ?? undefined);
}
