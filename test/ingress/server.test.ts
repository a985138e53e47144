// The controller over the wire, on loopback: routing to endpoints (round-robin, ports by
// name), the headers ingress-nginx sends upstream, nginx's 404/503 pages, refused `resource`
// backends, streamed bodies, WebSocket pass-through, TLS by SNI with the fake certificate
// otherwise, HTTP/2 by ALPN, and changes applied without a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { IngressState, startIngressServer, type IngressServer } from '../../src/agent/ingress/index.ts';
import { fakeCertificate, selfSigned, FAKE_CN } from '../../src/agent/ingress/fake-cert.ts';
import { ask, nginxPage } from './ask.ts';
import { backend, endpoints, ingress, ingressClass, path, rule, service } from './fixtures.ts';

const cleanup: Array<() => unknown> = [];
after(async () => { for (const f of cleanup.reverse()) await f(); });

let server: IngressServer;
let state: IngressState;
let barPort = 0;

before(async () => {
  // two "pods" of kubia on 127.0.0.2 and 127.0.0.3, one port for both (as a Service's targetPort)
  const k1 = await backend('kubia-1', '127.0.0.2');
  const k2 = await backend('kubia-2', '127.0.0.3', k1.port);
  const bar = await backend('bar', '127.0.0.4');
  barPort = bar.port;
  cleanup.push(() => k1.close(), () => k2.close(), () => bar.close());
  state = new IngressState();
  state.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx', true));
  state.setService(service('kubia', [{ name: 'http', port: 80, targetPort: 8080 }]));
  state.setEndpoints(endpoints('kubia', ['127.0.0.2', '127.0.0.3'], [{ name: 'http', port: k1.port }]));
  state.setService(service('bar', [{ port: 80 }]));
  state.setEndpoints(endpoints('bar', ['127.0.0.4'], [{ port: bar.port }]));
  state.setService(service('empty', [{ port: 80 }]));
  state.setEndpoints(endpoints('empty', [], []));
  state.setIngress(ingress('kubia', {
    rules: [
      rule('kubia.example.com', path('/', 'Prefix', 'kubia', 'http'), path('/foo', 'Prefix', 'bar'), path('/empty', 'Prefix', 'empty'), path('/gone', 'Prefix', 'nosuchservice')),
      rule('bar.example.com', path('/', 'Prefix', 'bar')),
    ],
  }));
  state.setIngress(ingress('resource', { rules: [rule('res.example.com', { path: '/', pathType: 'Prefix', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } })] }));
  server = await startIngressServer({ host: '127.0.0.1', httpPort: 0, httpsPort: 0, state, fallbackCert: await fakeCertificate() });
  cleanup.push(() => server.close());
});

test('requests reach the endpoints of the backend by host and path, round-robin', async () => {
  const names: string[] = [];
  for (let i = 0; i < 4; i++) names.push((await ask(server.httpPort, { host: 'kubia.example.com', path: '/' })).json.name);
  assert.deepEqual(names.sort(), ['kubia-1', 'kubia-1', 'kubia-2', 'kubia-2']);
  assert.equal((await ask(server.httpPort, { host: 'kubia.example.com', path: '/foo' })).json.name, 'bar');
  assert.equal((await ask(server.httpPort, { host: 'bar.example.com', path: '/anything' })).json.name, 'bar');
  assert.equal((await ask(server.httpPort, { host: 'kubia.example.com', path: '/foo/x?q=1' })).json.url, '/foo/x?q=1');
});

test('the headers ingress-nginx sends upstream', async () => {
  const a = await ask(server.httpPort, { host: 'kubia.example.com', path: '/h', headers: { 'x-forwarded-for': '203.0.113.9', proxy: 'http://evil', connection: 'keep-alive' } });
  const h = a.json.headers;
  assert.equal(h.host, 'kubia.example.com');
  assert.equal(h['x-real-ip'], '127.0.0.1');
  assert.equal(h['x-forwarded-for'], '127.0.0.1');
  assert.equal(h['x-original-forwarded-for'], '203.0.113.9');
  assert.equal(h['x-forwarded-host'], 'kubia.example.com');
  assert.equal(h['x-forwarded-port'], String(server.httpPort));
  assert.equal(h['x-forwarded-proto'], 'http');
  assert.equal(h['x-forwarded-scheme'], 'http');
  assert.equal(h['x-scheme'], 'http');
  assert.match(h['x-request-id'], /^[0-9a-f]{32}$/);
  assert.equal(h.proxy, undefined);
  const b = await ask(server.httpPort, { host: 'kubia.example.com', path: '/h', headers: { 'x-request-id': 'given-id' } });
  assert.equal(b.json.headers['x-request-id'], 'given-id');
});

test("an unknown host or path gets nginx's 404 page; a backend without endpoints 503; a resource backend 501", async () => {
  const cases: [host: string, p: string, status: number, page: string][] = [
    ['nowhere.example.com', '/', 404, '404 Not Found'],
    ['kubia.example.com', '/empty', 503, '503 Service Temporarily Unavailable'],
    ['kubia.example.com', '/gone', 503, '503 Service Temporarily Unavailable'],
    ['res.example.com', '/', 501, '501 Not Implemented'],
  ];
  for (const [host, p, status, title] of cases) {
    const a = await ask(server.httpPort, { host, path: p });
    assert.deepEqual([a.status, a.headers['content-type'], a.body], [status, 'text/html', nginxPage(title)], `${host}${p}`);
  }
});

test('request and response bodies stream through without being buffered', { timeout: 20_000 }, async () => {
  // the backend answers the first chunk before the client has sent the second: a buffering proxy would hang here
  const got: string[] = [];
  const streamer = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    req.on('data', (c: Buffer) => { got.push(c.toString()); res.write(`ack ${c}\n`); });
    req.on('end', () => res.end('done\n'));
  });
  await new Promise<void>((r) => streamer.listen(0, '127.0.0.5', () => r()));
  cleanup.push(() => new Promise((r) => { streamer.closeAllConnections(); streamer.close(r); }));
  state.setService(service('stream', [{ port: 80 }]));
  state.setEndpoints(endpoints('stream', ['127.0.0.5'], [{ port: (streamer.address() as AddressInfo).port }]));
  state.setIngress(ingress('stream', { rules: [rule('stream.example.com', path('/', 'Prefix', 'stream'))] }));
  const req = http.request({ host: '127.0.0.1', port: server.httpPort, method: 'POST', path: '/up', headers: { host: 'stream.example.com' } });
  req.write('one');
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  res.setEncoding('utf8');
  const lines: string[] = [];
  const ack1 = new Promise<void>((r) => res.on('data', (d: string) => { lines.push(d); if (lines.join('').includes('ack one')) r(); }));
  await ack1;
  req.end('two');
  await once(res, 'end');
  assert.equal(lines.join(''), 'ack one\nack two\ndone\n');
  assert.deepEqual(got, ['one', 'two']);
});

test('WebSocket upgrades pass through as a byte tunnel', { timeout: 20_000 }, async () => {
  const ws = http.createServer((_q, r) => r.end('not an upgrade'));
  ws.on('upgrade', (req, sock) => {
    sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Seen-Path: ${req.url}\r\n\r\n`);
    sock.on('data', (d: Buffer) => sock.write(`echo:${d}`));
    sock.on('end', () => sock.end());
  });
  await new Promise<void>((r) => ws.listen(0, '127.0.0.6', () => r()));
  cleanup.push(() => new Promise((r) => { ws.closeAllConnections(); ws.close(r); }));
  state.setService(service('ws', [{ port: 80 }]));
  state.setEndpoints(endpoints('ws', ['127.0.0.6'], [{ port: (ws.address() as AddressInfo).port }]));
  state.setIngress(ingress('ws', { rules: [rule('ws.example.com', path('/', 'Prefix', 'ws'))] }));
  const s = net.connect(server.httpPort, '127.0.0.1');
  await once(s, 'connect');
  s.write('GET /chat HTTP/1.1\r\nHost: ws.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  let text = '';
  await new Promise<void>((r) => s.on('data', (d) => { text += d; if (text.includes('\r\n\r\n')) r(); }));
  assert.match(text, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.match(text, /X-Seen-Path: \/chat\r\n/);
  text = '';
  s.write('hello');
  await new Promise<void>((r) => s.on('data', () => { if (text.includes('echo:hello')) r(); }));
  assert.equal(text, 'echo:hello');
  s.destroy();
  // an upgrade to an unknown host gets the 404 page on the socket
  const s2 = net.connect(server.httpPort, '127.0.0.1');
  await once(s2, 'connect');
  s2.write('GET / HTTP/1.1\r\nHost: nowhere.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  let t2 = '';
  s2.on('data', (d) => (t2 += d));
  await once(s2, 'close');
  assert.match(t2, /^HTTP\/1\.1 404 Not Found\r\n/);
});

test('TLS: the Secret named for the host by SNI, the fake certificate otherwise; HTTP/2 by ALPN', async () => {
  const pair = await selfSigned({ cn: 'secure.example.com', dnsNames: ['secure.example.com'] });
  state.setSecret({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'secure-tls', namespace: 'default', resourceVersion: '1' }, data: { 'tls.crt': Buffer.from(pair.certPem).toString('base64'), 'tls.key': Buffer.from(pair.keyPem).toString('base64') } } as never);
  state.setIngress(ingress('secure', { tls: [{ hosts: ['secure.example.com'], secretName: 'secure-tls' }], rules: [rule('secure.example.com', path('/', 'Prefix', 'bar'))] }));
  const a = await ask(server.httpsPort, { https: true, host: 'secure.example.com', path: '/' });
  assert.deepEqual([a.status, a.cn, a.json.name, a.json.headers['x-forwarded-proto']], [200, 'secure.example.com', 'bar', 'https']);
  const b = await ask(server.httpsPort, { https: true, host: 'kubia.example.com', path: '/' });
  assert.deepEqual([b.status, b.cn], [200, FAKE_CN]);
  const c = await ask(server.httpsPort, { https: true, host: 'nowhere.example.com', path: '/' });
  assert.deepEqual([c.status, c.cn, c.body], [404, FAKE_CN, nginxPage('404 Not Found')]);

  const session = http2.connect(`https://127.0.0.1:${server.httpsPort}`, { rejectUnauthorized: false, servername: 'secure.example.com' });
  cleanup.push(() => session.close());
  const stream = session.request({ ':path': '/h2', ':authority': 'secure.example.com' });
  const [headers] = (await once(stream, 'response')) as [http2.IncomingHttpHeaders];
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => (body += d));
  await once(stream, 'end');
  assert.equal(session.alpnProtocol, 'h2');
  assert.equal(headers[':status'], 200);
  const seen = JSON.parse(body);
  assert.deepEqual([seen.name, seen.url, seen.headers.host], ['bar', '/h2', 'secure.example.com']);
});

test('changes to Ingresses, Services and Endpoints apply without a restart', async () => {
  state.setIngress(ingress('late', { rules: [rule('late.example.com', path('/', 'Prefix', 'late'))] }));
  assert.equal((await ask(server.httpPort, { host: 'late.example.com' })).status, 503);
  state.setService(service('late', [{ port: 80, name: 'web' }]));
  state.setEndpoints(endpoints('late', ['127.0.0.4'], [{ name: 'web', port: barPort }]));
  assert.equal((await ask(server.httpPort, { host: 'late.example.com' })).json.name, 'bar');
  state.deleteIngress(ingress('late', {}));
  assert.equal((await ask(server.httpPort, { host: 'late.example.com' })).status, 404);
});

test('a refused connection is retried on the next endpoint; with none left the answer is 502', async () => {
  state.setService(service('flaky', [{ port: 80 }]));
  state.setEndpoints(endpoints('flaky', ['127.0.0.9', '127.0.0.4'], [{ port: barPort }]));
  state.setService(service('dead', [{ port: 80 }]));
  state.setEndpoints(endpoints('dead', ['127.0.0.9'], [{ port: barPort }]));
  state.setIngress(ingress('flaky', { rules: [rule('flaky.example.com', path('/', 'Prefix', 'flaky')), rule('dead.example.com', path('/', 'Prefix', 'dead'))] }));
  for (let i = 0; i < 4; i++) assert.equal((await ask(server.httpPort, { host: 'flaky.example.com' })).json.name, 'bar');
  const d = await ask(server.httpPort, { host: 'dead.example.com' });
  assert.deepEqual([d.status, d.body], [502, nginxPage('502 Bad Gateway')]);
});
