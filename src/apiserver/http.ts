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

export const MAX_BODY = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'BadRequest', 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
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
