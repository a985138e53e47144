// The exec subresource's query (`?command=sh&command=-c&command=…&container=c&stdin=true&…`)
// as an ExecRequest, and attach's (the same without commands) as an AttachRequest, with the
// kubelet's checks and messages.
import { errors } from '../../api/status.ts';
import type { AttachRequest, ExecRequest } from './types.ts';

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}

/** Throws ApiError 400 as Kubernetes does for a request it cannot run. */
export function execRequestFromQuery(namespace: string, pod: string, q: URLSearchParams): ExecRequest {
  const req: ExecRequest = {
    namespace,
    pod,
    command: q.getAll('command'),
    stdin: flag(q, 'stdin'),
    stdout: flag(q, 'stdout'),
    stderr: flag(q, 'stderr'),
    tty: flag(q, 'tty'),
  };
  const container = q.get('container');
  if (container) req.container = container;
  if (req.command.length === 0) throw errors.badRequest('you must specify at least one command for the container');
  if (!req.stdin && !req.stdout && !req.stderr) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (req.tty && req.stderr) req.stderr = false; // a terminal has one output stream
  return req;
}

/** pods/attach: `?container=c&stdin=true&stdout=true&stderr=true&tty=true`; no command. */
export function attachRequestFromQuery(namespace: string, pod: string, q: URLSearchParams): AttachRequest {
  const req: AttachRequest = { namespace, pod, stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr'), tty: flag(q, 'tty') };
  const container = q.get('container');
  if (container) req.container = container;
  if (!req.stdin && !req.stdout && !req.stderr) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (req.tty && req.stderr) req.stderr = false;
  return req;
}
