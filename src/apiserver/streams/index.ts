// The exec, attach and port-forward subresources' stream protocols, server side, independent of
// where the bytes finally go (an ExecBackend / AttachBackend / PortForwardBackend). The API
// server's route for `pods/exec|attach|portforward` calls these from its HTTP 'upgrade' handler.
//   exec, attach: WebSocket v5.channel.k8s.io / v4 (kubectl 1.30+), SPDY/3.1 v4 (1.27–1.29);
//                 attach is exec's wire protocol with the main process instead of a command
//   port-forward: SPDY/3.1 portforward.k8s.io, plain or tunnelled in a WebSocket (1.31+)
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { handleSpdyExec } from './exec-spdy.ts';
import { handleWebSocketExec } from './exec-ws.ts';
import type { AttachBackend, AttachRequest, ExecBackend, ExecRequest } from './types.ts';
import { isSpdy, isWebSocket, refuse } from './upgrade.ts';

export type { AttachBackend, AttachRequest, ExecBackend, ExecProcess, ExecRequest, PortForwardBackend } from './types.ts';
export { handlePortForwardUpgrade } from './portforward.ts';
export { attachRequestFromQuery, execRequestFromQuery } from './query.ts';

/** Picks WebSocket (v5/v4.channel.k8s.io) or SPDY/3.1 from the request's Upgrade header. */
export function handleExecUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, backend: ExecBackend, params: ExecRequest): void {
  socket.on('error', () => undefined);
  if (isWebSocket(req)) return handleWebSocketExec(req, socket, head, backend, params);
  if (isSpdy(req)) return handleSpdyExec(req, socket, head, backend, params);
  refuse(socket, 400, 'Bad Request', 'Upgrade request required\n');
}

/** pods/attach over the same transports as exec; the stream ends with Success when the attachment does. */
export function handleAttachUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, backend: AttachBackend, params: AttachRequest): void {
  handleExecUpgrade(req, socket, head, { exec: ({ command: _none, ...r }) => backend.attach(r) }, { ...params, command: [] });
}
