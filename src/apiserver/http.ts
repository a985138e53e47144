// Small HTTP helpers shared by the handlers: reading a request body, writing JSON and Status
// answers, and the Reply value handlers return.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type Status } from '../api/status.ts';

export interface Reply {
  code: number;
  body: unknown;
  /** `Warning: 299 - "..."` headers (fieldValidation=Warn). */
  warnings?: string[];
  contentType?: string;
}

/** kube-apiserver's MaxRequestBodyBytes. */
export const MAX_BODY = 3 * 1024 * 1024;

const tooLarge = (limit: number) => new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);

/**
 * The request body, or a 413 RequestEntityTooLarge once it passes `limit` bytes. The rest of a
 * too-large body is read and dropped (not kept) so the client, still sending, gets the Status
 * instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    const refuse = () => {
      req.removeListener('data', onData);
      req.resume(); // drain and drop what is still coming
      reject(tooLarge(limit));
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) return refuse();
      chunks.push(c);
    };
    if (declared > limit) return refuse();
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, reply: Reply): void {
  const text = typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
  const headers: Record<string, string | string[] | number> = {
    'Content-Type': reply.contentType ?? 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  };
  if (reply.warnings?.length) headers['Warning'] = reply.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(reply.code, headers);
  res.end(text);
}

export function statusOf(e: ApiError): Status {
  return e.toStatus();
}

export function sendError(res: ServerResponse, e: ApiError): void {
  send(res, { code: e.code, body: e.toStatus() });
}

export function success(details?: Status['details']): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}
