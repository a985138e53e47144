// The raw HTTP(S) side of the pod stream subresources, client end: where to connect (the same
// kubeconfig context KubeClient uses), a streamed GET (pods/log) and an HTTP Upgrade that hands
// back the socket (SPDY/3.1 for port-forward). Non-2xx answers become ApiErrors from the Status.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Connection } from '../index.ts';
import { toApiError } from '../index.ts';
import { readConfig, kubeconfigPath, resolveContext } from '../../kubeconfig/index.ts';
import { UserError } from '../../lib/errors.ts';

export interface StreamTarget extends Connection {
  /** The namespace when the user named none. */
  namespace: string;
}

/** The connection for the current (or named) context, as KubeClient.fromKubeconfig picks it. */
export function streamTarget(opts: { kubeconfig?: string; context?: string; namespace?: string } = {}): StreamTarget {
  const ctx = resolveContext(readConfig(opts.kubeconfig ?? kubeconfigPath()), opts.context);
  return { server: ctx.server, caPem: ctx.caPem, token: ctx.token, insecure: ctx.insecure, namespace: opts.namespace || ctx.namespace };
}

function requestOptions(t: Connection, path: string, method: string, headers: Record<string, string>): https.RequestOptions {
  const url = new URL(t.server);
  const h: Record<string, string> = { 'user-agent': 'mk', ...headers };
  if (t.token) h.authorization = `Bearer ${t.token}`;
  return { protocol: url.protocol, hostname: url.hostname, port: url.port, path, method, headers: h, ca: t.caPem, rejectUnauthorized: !t.insecure, agent: false };
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function connectionError(e: NodeJS.ErrnoException, server: string): Error {
  if (e.name === 'AbortError') return e;
  const host = new URL(server).host;
  if (e.code === 'ECONNREFUSED') return new UserError(`The connection to the server ${host} was refused - did you specify the right host or port?`, undefined, { cause: e });
  return new UserError(`Unable to connect to the server: ${e.message}`, undefined, { cause: e });
}

/** GET whose 2xx body is returned as a stream (the caller reads it to the end or destroys it). */
export function streamGet(t: Connection, path: string, signal?: AbortSignal): Promise<IncomingMessage> {
  const mod = t.server.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request({ ...requestOptions(t, path, 'GET', { accept: '*/*' }), signal }, (res) => {
      if (res.statusCode! >= 200 && res.statusCode! < 300) return resolve(res);
      readText(res).then((text) => reject(toApiError(res.statusCode!, text)), reject);
    });
    req.on('error', (e: NodeJS.ErrnoException) => reject(connectionError(e, t.server)));
    req.end();
  });
}

/** Sends an Upgrade request; resolves with the upgraded socket and the answer's headers. */
export function upgrade(t: Connection, path: string, method: string, headers: Record<string, string>): Promise<{ socket: Duplex; head: Buffer; res: IncomingMessage }> {
  const mod = t.server.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(requestOptions(t, path, method, { connection: 'Upgrade', ...headers }));
    req.on('upgrade', (res, socket, head) => resolve({ socket, head, res }));
    req.on('response', (res) => {
      readText(res).then((text) => reject(upgradeError(res.statusCode!, text)), reject);
    });
    req.on('error', (e: NodeJS.ErrnoException) => reject(connectionError(e, t.server)));
    req.end();
  });
}

/** A refused upgrade: a Status when the server sent one, else its text (as client-go reports it). */
export function upgradeError(code: number, text: string): Error {
  if (text.trim().startsWith('{')) return toApiError(code, text);
  return new UserError(`error: ${text.trim() || `the server responded with the status code ${code}`}`);
}
