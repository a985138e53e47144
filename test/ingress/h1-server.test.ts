// The plain-HTTP listener's own HTTP/1.x server (src/agent/ingress/h1-server.ts), spoken to in
// raw bytes: what a client reads back for each kind of request and answer (lengths, chunking,
// HEAD, 204, HTTP/1.0, Connection: close, 100 Continue, pipelining in order, request bodies,
// headers as node:http shows them), and when it closes the connection (unparsable requests,
// headers too large or too slow, idle keep-alive, Upgrade handed over with what followed).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createH1Server, headersObject, type H1Request, type H1Response, type H1Server } from '../../src/agent/ingress/h1-server.ts';

type Handler = (req: H1Request, res: H1Response) => void;
const routes = new Map<string, Handler>();
let server: H1Server;
let port = 0;
const upgrades: { url: string; head: string }[] = [];

before(async () => {
  server = createH1Server({
    keepAliveTimeoutMs: 300,
    headersTimeoutMs: 300,
    serve: (req, res) => {
      const h = routes.get(req.url.split('?')[0]!);
      if (h) return h(req, res);
      res.writeHead(200, { 'Content-Length': 2 });
      res.end('ok');
    },
    upgrade: (req, socket, head) => {
      upgrades.push({ url: req.url, head: head.toString() });
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\n\r\nraw');
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

/** Writes `request` (in pieces, when given an array) and returns all bytes until the server closes. */
function exchange(request: string | string[], o: { gapMs?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', async () => {
      for (const piece of Array.isArray(request) ? request : [request]) {
        if (c.destroyed) break;
        c.write(piece, 'latin1');
        await new Promise((r) => setTimeout(r, o.gapMs ?? 5));
      }
    });
    let out = '';
    c.on('data', (d) => (out += d.toString('latin1')));
    c.on('close', () => resolve(out));
    c.on('error', () => c.destroy()); // writing to a connection the server closed
  });
}

/** The answer without its Date header (the rest is exact). */
const undated = (s: string) => s.replace(/\r\nDate: [^\r]+/g, '');

routes.set('/chunked', (_req, res) => { res.writeHead(200, ['Content-Type', 'text/plain']); res.write('abc'); res.write(Buffer.from('de')); res.end(); });
routes.set('/empty', (_req, res) => { res.writeHead(204, {}); res.end(); });
routes.set('/echo', (req, res) => {
  const parts: Buffer[] = [];
  req.body.on('data', (b: Buffer) => parts.push(b));
  req.body.on('end', () => { const b = Buffer.concat(parts); res.writeHead(200, { 'Content-Length': b.length }); res.end(b); });
});
routes.set('/headers', (req, res) => { const b = JSON.stringify(req.headers); res.writeHead(200, { 'Content-Length': Buffer.byteLength(b) }); res.end(b); });
routes.set('/slow', (_req, res) => { setTimeout(() => { res.writeHead(200, { 'Content-Length': 4 }); res.end('slow'); }, 30); });
routes.set('/cookies', (_req, res) => { res.writeHead(200, { 'Set-Cookie': ['a=1', 'b=2'], 'Content-Length': 0 }); res.end(); });

test('what a client reads back, byte for byte', async () => {
  const cases: { name: string; send: string | string[]; gapMs?: number; want: string }[] = [
    { name: 'a length, Connection: close honoured', send: 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', want: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok' },
    { name: 'no length: chunked for HTTP/1.1', send: 'GET /chunked HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', want: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n' },
    { name: 'no length: until close for HTTP/1.0', send: 'GET /chunked HTTP/1.0\r\n\r\n', want: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nabcde' },
    { name: 'HEAD: the length, no body', send: 'HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', want: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n' },
    { name: '204: nothing after the headers', send: 'GET /empty HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', want: 'HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n' },
    { name: 'repeated headers kept', send: 'GET /cookies HTTP/1.1\r\nConnection: close\r\n\r\n', want: 'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' },
    {
      name: 'pipelined requests answered in order, the slow one first',
      send: 'GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
      want: 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: keep-alive\r\n\r\nslowHTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
    },
    {
      name: 'a body in pieces, with 100 Continue first',
      send: ['POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 10\r\nConnection: close\r\n\r\n', 'hello', 'world'],
      want: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nhelloworld',
    },
    {
      name: 'a chunked body',
      send: 'POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n',
      want: 'HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nwikipedia',
    },
    {
      name: 'an unread body is skipped before the next request',
      send: 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nxxxxxGET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
      want: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
    },
    {
      name: 'a large body waiting behind a slow request is held, then read',
      send: `GET /slow HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 200000\r\nConnection: close\r\n\r\n${'b'.repeat(200_000)}`,
      want: `HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: keep-alive\r\n\r\nslowHTTP/1.1 200 OK\r\nContent-Length: 200000\r\nConnection: close\r\n\r\n${'b'.repeat(200_000)}`,
    },
    { name: 'unparsable: closed', send: 'NOT HTTP AT ALL\r\n\r\n', want: '' },
    { name: 'headers over 16 KiB: closed', send: `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`, want: '' },
    { name: 'headers not complete in time: closed', send: 'GET / HTTP/1.1\r\nHost: a\r\n', want: '' },
    // a header line every 100 ms keeps the idle timeout from firing: the headers timeout closes it
    { name: 'headers dribbled: closed', send: ['GET / HTTP/1.1\r\n', ...Array(12).fill('X-Slow: 1\r\n'), 'Connection: close\r\n\r\n'], gapMs: 100, want: '' },
    { name: 'CONNECT: closed (not a proxy)', send: 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', want: '' },
    { name: 'idle keep-alive: closed after the timeout', send: 'GET / HTTP/1.1\r\nHost: a\r\n\r\n', want: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok' },
  ];
  for (const c of cases) assert.equal(undated(await exchange(c.send, { gapMs: c.gapMs })), c.want, c.name);
  // every answer has a Date
  assert.match(await exchange('GET / HTTP/1.1\r\nConnection: close\r\n\r\n'), /\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/);
});

test('headers as node:http shows them: lower case, repeats joined, single ones kept once', async () => {
  const got = JSON.parse((await exchange('GET /headers HTTP/1.1\r\nHost: a\r\nHost: b\r\nAccept: x\r\nACCEPT: y\r\nCookie: a=1\r\nCookie: b=2\r\nConnection: close\r\n\r\n')).split('\r\n\r\n')[1]!);
  assert.deepEqual(got, { host: 'a', accept: 'x, y', cookie: 'a=1; b=2', connection: 'close' });
  assert.deepEqual(headersObject(['Set-Cookie', 'a', 'set-cookie', 'b', 'Content-Length', '1', 'content-length', '2']), { 'set-cookie': ['a', 'b'], 'content-length': '1' });
});

test('an Upgrade is handed over with the socket and the bytes that followed its headers', async () => {
  const out = await exchange('GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\nfirst frame');
  assert.equal(out, 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\n\r\nraw');
  assert.deepEqual(upgrades, [{ url: '/ws', head: 'first frame' }]);
});
