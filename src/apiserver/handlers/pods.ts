// The pod subresources that reach into a running container: exec, attach and port-forward
// (HTTP upgrades handed to src/apiserver/streams with the backend the node side provides) and
// log (a streamed text/plain answer from a LogsBackend). The API server checks the pod and the
// container as Kubernetes does; what runs the command or reads the logs is the backend's job.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, errors } from '../../api/status.ts';
import type { KubeObject } from '../../api/types.ts';
import {
  attachRequestFromQuery, execRequestFromQuery, handleAttachUpgrade, handleExecUpgrade, handlePortForwardUpgrade,
  type AttachBackend, type ExecBackend, type PortForwardBackend,
} from '../streams/index.ts';
import { mustGet, type ResourceRequest, type ServerContext } from '../context.ts';

export interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

export interface LogsBackend {
  /** The container's log as text (RFC3339Nano timestamps first when asked); ends unless following. */
  logs(namespace: string, pod: string, opts: LogOptions): Promise<Readable>;
}

export interface PodStreamBackends {
  exec?: ExecBackend;
  attach?: AttachBackend;
  portForward?: PortForwardBackend;
  logs?: LogsBackend;
}

function containerNames(pod: KubeObject): string[] {
  return (pod.spec?.containers ?? []).map((c: { name: string }) => c.name);
}

/** The container a request names, or the only one; Kubernetes' 400s otherwise. */
export function pickContainer(pod: KubeObject, asked: string | null | undefined): string {
  const names = containerNames(pod);
  const name = pod.metadata.name!;
  if (asked) {
    const init = (pod.spec?.initContainers ?? []).map((c: { name: string }) => c.name);
    if (!names.includes(asked) && !init.includes(asked)) throw errors.badRequest(`container ${asked} is not valid for pod ${name}`);
    return asked;
  }
  if (names.length === 1) return names[0];
  throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
}

function checkRunnable(pod: KubeObject, verb = 'exec into'): void {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw errors.badRequest(`cannot ${verb} a container in a completed pod; current phase is ${phase}`);
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
}

const noBackend = (what: string) => errors.internal(`no node agent serves ${what} for this cluster`);

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`${name}: Invalid value: "${v}": must be an integer`);
  return n;
}

export async function serveLogs(ctx: ServerContext, req: ResourceRequest & { name: string }, res: ServerResponse, backend: LogsBackend | undefined): Promise<void> {
  const pod = mustGet(ctx, req.r, req.namespace, req.name);
  const q = req.query;
  const container = pickContainer(pod, q.get('container'));
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${req.name} does not have a host assigned`);
  if (!backend) throw noBackend('logs');
  const opts: LogOptions = {
    container,
    follow: q.get('follow') === 'true',
    previous: q.get('previous') === 'true',
    timestamps: q.get('timestamps') === 'true',
    tailLines: int(q, 'tailLines'),
    sinceSeconds: int(q, 'sinceSeconds'),
    limitBytes: int(q, 'limitBytes'),
  };
  const sinceTime = q.get('sinceTime');
  if (sinceTime) opts.sinceTime = sinceTime;
  const stream = await backend.logs(req.namespace!, req.name, opts);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  res.on('close', () => stream.destroy());
  await pipeline(stream, res).catch(() => res.destroy());
}

/** Answers an HTTP upgrade on pods/<name>/exec|attach|portforward; errors as a Status on the raw socket. */
export function serveUpgrade(ctx: ServerContext, req: ResourceRequest & { name: string }, http: IncomingMessage, socket: Duplex, head: Buffer, backends: PodStreamBackends): void {
  const pod = mustGet(ctx, req.r, req.namespace, req.name);
  if (req.sub === 'attach') {
    const params = attachRequestFromQuery(req.namespace!, req.name, req.query);
    params.container = pickContainer(pod, params.container);
    checkRunnable(pod, 'attach');
    if (!backends.attach) throw noBackend('attach');
    return handleAttachUpgrade(http, socket, head, backends.attach, params);
  }
  if (req.sub === 'exec') {
    const params = execRequestFromQuery(req.namespace!, req.name, req.query);
    params.container = pickContainer(pod, params.container);
    checkRunnable(pod);
    if (!backends.exec) throw noBackend('exec');
    return handleExecUpgrade(http, socket, head, backends.exec, params);
  }
  if (req.sub === 'portforward') {
    checkRunnable(pod);
    if (!backends.portForward) throw noBackend('port-forward');
    return handlePortForwardUpgrade(http, socket, head, backends.portForward, req.namespace!, req.name);
  }
  throw new ApiError(400, 'BadRequest', 'Upgrade request required');
}
