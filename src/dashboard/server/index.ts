// `mk dashboard`'s web server, in the CLI process, on 127.0.0.1 only: the page (/, /app.js,
// /app.css), its feed (/events, Server-Sent Events: feed.ts) and the details of one object
// (/api/object?kind=&namespace=&name=: its YAML and events). Read-only: nothing here writes to
// the cluster. Requests naming another host than 127.0.0.1:PORT or localhost:PORT are refused,
// so a web page elsewhere cannot read the cluster through a DNS name rebound to 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../../lib/errors.ts';
import { objectDetails } from './details.ts';
import { Feed, type FeedOptions } from './feed.ts';
import { pageFiles, type PageFiles } from './page.ts';

export interface DashboardOptions extends FeedOptions {
  /** the port on 127.0.0.1 (default 0: any free port) */
  port?: number;
  /** the page's files (default: the embedded ones, or the sources bundled) */
  page?: PageFiles;
}

export interface RunningDashboard {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  feed: Feed;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const json = (res: http.ServerResponse, status: number, v: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(v));

export async function startDashboard(o: DashboardOptions): Promise<RunningDashboard> {
  const page = o.page ?? pageFiles();
  const feed = new Feed(o);
  let port = 0;
  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      send(res, 403, 'text/plain; charset=utf-8', `mk dashboard answers requests for http://127.0.0.1:${port}/ only, not for host "${host}"\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'the dashboard is read-only\n');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/events') {
      feed.attach(res);
      return;
    }
    if (url.pathname === '/api/object') {
      const q = url.searchParams;
      const kind = q.get('kind') ?? '';
      const name = q.get('name') ?? '';
      const d = objectDetails(feed.watch, kind, q.get('namespace') ?? undefined, name);
      if (d) json(res, 200, d);
      else json(res, 404, { error: `${kind} ${q.get('namespace') ? `${q.get('namespace')}/` : ''}${name} is not there (any more)` });
      return;
    }
    if (url.pathname === '/healthz') {
      send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
      return;
    }
    page.get(url.pathname).then(
      (f) => (f ? send(res, 200, f.type, f.body) : send(res, 404, 'text/plain; charset=utf-8', 'not found\n')),
      (e: unknown) => send(res, 500, 'text/plain; charset=utf-8', `the page could not be made: ${e instanceof Error ? e.message : String(e)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new UserError(`--port ${o.port}: the port is in use on 127.0.0.1`, 'Pick another, or leave --port out for any free port.'));
      else if (e.code === 'EACCES') reject(new UserError(`--port ${o.port}: not allowed to listen on it (ports below 1024 need root)`, 'Pick a port above 1023, or leave --port out for any free port.'));
      else reject(e);
    });
    server.listen({ host: '127.0.0.1', port: o.port ?? 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  feed.start();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    feed,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      await feed.stop();
      server.closeAllConnections();
      await closed;
    },
  };
}
