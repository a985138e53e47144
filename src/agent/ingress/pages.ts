// The answers the controller makes itself, with nginx's stock error pages (what ingress-nginx
// shows: `server_tokens off`, so the tail says just "nginx"), written to a response or, for an
// Upgrade request, straight to the client's socket.
import { STATUS_CODES } from 'node:http';
import type { Exchange } from './types.ts';

/** nginx's reason phrases where they differ from Node's. */
const NGINX_REASONS: Record<number, string> = { 302: 'Found', 308: 'Permanent Redirect', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

export function reason(status: number): string {
  return NGINX_REASONS[status] ?? STATUS_CODES[status] ?? 'Unknown';
}

const pages = new Map<number, Buffer>();

/** nginx's page for a status: `<html>…<center><h1>404 Not Found</h1></center>…nginx…`, CRLF line ends. */
export function page(status: number): Buffer {
  let p = pages.get(status);
  if (!p) {
    const title = `${status} ${reason(status)}`;
    p = Buffer.from(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
    pages.set(status, p);
  }
  return p;
}

/** Answers with nginx's page for `status` (and extra headers, e.g. Location). */
export function respond(x: Exchange, status: number, extra: Record<string, string> = {}): void {
  const body = x.method === 'HEAD' ? Buffer.alloc(0) : page(status);
  const headers: Record<string, string | number> = { 'Content-Type': 'text/html', 'Content-Length': page(status).length, ...extra };
  if (x.upgrade) {
    const lines = [`HTTP/1.1 ${status} ${reason(status)}`];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    lines.push('Connection: close', '', '');
    x.upgrade.socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), body]));
    return;
  }
  const res = x.res!;
  if (res.headersSent) { res.end(); return; }
  res.writeHead(status, headers);
  res.end(body);
}

/** The 404 page: a host or path no Ingress serves. */
export const notFound = (x: Exchange): void => respond(x, 404);
