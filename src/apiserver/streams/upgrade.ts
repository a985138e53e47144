// The HTTP side of the stream upgrades: which protocols the client offers, the 101 answer for
// SPDY/3.1, refusals as plain HTTP responses, and the WebSocket handshake (through `ws`).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

export function isWebSocket(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

export function isSpdy(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase().startsWith('spdy/3.1');
}

/** All values of a (possibly repeated, possibly comma-separated) header. */
export function headerValues(req: IncomingMessage, name: string): string[] {
  const out: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() === name.toLowerCase()) out.push(...raw[i + 1].split(',').map((s) => s.trim()).filter(Boolean));
  }
  return out;
}

/** The first of ours (in our order of preference) that the client offers, or null. */
export function negotiate(offered: string[], ours: readonly string[]): string | null {
  return ours.find((p) => offered.includes(p)) ?? null;
}

/** Answers the upgrade request with a plain HTTP response and closes the connection. */
export function refuse(socket: Duplex, code: number, reason: string, body: string, headers: Record<string, string> = {}): void {
  const lines = [`HTTP/1.1 ${code} ${reason}`, 'Content-Type: text/plain; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** kubelet/apiserver wording when no stream protocol is shared (httpstream.Handshake). */
export function refuseProtocols(socket: Duplex, offered: string[], ours: readonly string[]): void {
  refuse(socket, 403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports ${fmt(offered)}, server supports ${fmt(ours)}\n`, {
    'X-Accepted-Stream-Protocol-Versions': ours.join(', '),
  });
}

function fmt(list: readonly string[]): string {
  return `[${list.join(' ')}]`;
}

/** Completes a SPDY/3.1 upgrade: 101 with the chosen stream protocol; the socket then speaks SPDY. */
export function acceptSpdy(socket: Duplex, head: Buffer, protocol: string): void {
  socket.write(
    ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${protocol}`, '', ''].join('\r\n'),
  );
  if (head.length) socket.unshift(head);
}

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  // The caller negotiated already and put its choice on the request.
  handleProtocols: (_offered, req) => (req as IncomingMessage & { mkProtocol?: string }).mkProtocol ?? false,
});

/** Completes a WebSocket upgrade with the given subprotocol (echoed in Sec-WebSocket-Protocol). */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): Promise<WebSocket> {
  (req as IncomingMessage & { mkProtocol?: string }).mkProtocol = protocol;
  return new Promise((resolve) => wss.handleUpgrade(req, socket, head, (ws) => resolve(ws)));
}
