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

/** kube-apiserver's warning recorder: past 4096 characters in all, each warning is cut to 256. */
const WARNINGS_TOTAL = 4 * 1024;
const WARNING_ITEM = 256;

/**
 * `299 - "text"` headers as kube-apiserver's warning recorder writes them: deduplicated, and,
 * once their text passes 4096 characters, each cut to 256 characters and no more added past the
 * total, so a body with thousands of unknown fields cannot overflow a client's header limit.
 * Non-ASCII text goes out as UTF-8 bytes.
 */
export function warningHeaders(warnings: string[]): string[] {
  const texts = [...new Set(warnings)].filter((w) => w.length > 0);
  const total = texts.reduce((n, w) => n + [...w].length, 0);
  const out: string[] = [];
  let written = 0;
  for (let text of texts) {
    if (total > WARNINGS_TOTAL) {
      if (written >= WARNINGS_TOTAL) break;
      const chars = [...text];
      if (chars.length > WARNING_ITEM) text = chars.slice(0, WARNING_ITEM).join('');
    }
    written += [...text].length;
    out.push(Buffer.from(`299 - ${JSON.stringify(text)}`, 'utf8').toString('latin1'));
  }
  return out;
}

export function send(res: ServerResponse, reply: Reply): void {
  const text = typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
  // A Buffer body makes Node write the header block as latin1 (byte for byte), which the
  // UTF-8 warning text relies on; with a string body it would be re-encoded as UTF-8.
  const body = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const headers: Record<string, string | string[] | number> = {
    'Content-Type': reply.contentType ?? 'application/json',
    'Content-Length': body.length,
    'Cache-Control': 'no-cache, private',
  };
  if (reply.warnings?.length) headers['Warning'] = warningHeaders(reply.warnings);
  res.writeHead(reply.code, headers);
  res.end(body);
}

export function sendError(res: ServerResponse, e: ApiError): void {
  send(res, { code: e.code, body: e.toStatus() });
}

export function success(details?: Status['details']): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}
