// The fast HTTP/1.1 data path (src/agent/ingress/h1.ts) against raw pods on loopback that answer
// exactly the bytes each case gives: answers pass through as the pod framed them (length,
// chunked, until close, HEAD, 100 Continue first), hop-by-hop headers dropped; connections are
// kept and reused; a keep-alive connection the pod closed is replaced without the client
// noticing; request bodies arrive whole; a silent pod is a 504, one that hangs up mid-answer
// aborts the client's answer; a client that goes away closes the pod's connection.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { IngressState, startIngressServer, type IngressServer } from '../../src/agent/ingress/index.ts';
import { fakeCertificate } from '../../src/agent/ingress/fake-cert.ts';
import { ask } from './ask.ts';
import { endpoints, ingress, ingressClass, path, rule, service } from './fixtures.ts';

interface Seen { head: string; body: string; conn: number }
/** What the pod writes for a request it has read whole (undefined: nothing, ever). */
type Answer = (seen: Seen, socket: net.Socket) => string | undefined;

/** A pod on 127.0.0.20 speaking raw HTTP/1.1: the answer for each path comes from `answers`. */
class RawPod {
  server!: net.Server;
  port = 0;
  connections = 0;
  closed = 0;
  sockets = new Set<net.Socket>();
  seen: Seen[] = [];
  answers = new Map<string, Answer>();

  async start(): Promise<void> {
    this.server = net.createServer((s) => {
      const conn = ++this.connections;
      this.sockets.add(s);
      s.on('close', () => { this.closed++; this.sockets.delete(s); });
      s.on('error', () => {});
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString('latin1');
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.slice(0, end);
          const len = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buf.length < end + 4 + len) return;
          const seen = { head, body: buf.slice(end + 4, end + 4 + len), conn };
          buf = buf.slice(end + 4 + len);
          this.seen.push(seen);
          const p = head.split(' ')[1]!.split('?')[0]!;
          const out = (this.answers.get(p) ?? (() => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'))(seen, s);
          if (out !== undefined) s.write(out, 'latin1');
        }
      });
    });
    this.server.listen(0, '127.0.0.20');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

/** Sends raw bytes to the controller; everything it answers until it closes the connection. */
function rawAsk(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(request));
    let out = '';
    c.on('data', (d) => (out += d.toString('latin1')));
    c.on('close', () => resolve(out));
    c.on('error', reject);
  });
}

const pod = new RawPod();
let server: IngressServer;
const host = 'raw.example.com';

before(async () => {
  await pod.start();
  const state = new IngressState();
  state.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx', true));
  state.setService(service('raw', [{ port: 80 }]));
  state.setEndpoints(endpoints('raw', ['127.0.0.20'], [{ port: pod.port }]));
  state.setIngress(ingress('raw', { rules: [rule(host, path('/', 'Prefix', 'raw'))] }));
  server = await startIngressServer({ host: '127.0.0.1', httpPort: 0, httpsPort: 0, state, fallbackCert: await fakeCertificate(), upstream: { readTimeoutMs: 300 } });
});
after(async () => {
  await server?.close();
  await pod.close();
});

test('answers pass through as the pod framed them; hop-by-hop headers are dropped', async () => {
  const cases: { name: string; answer: string; method?: string; status: number; body: string; headers?: Record<string, string | string[] | undefined> }[] = [
    { name: 'length', answer: 'HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Custom: a\r\nKeep-Alive: timeout=5\r\nConnection: keep-alive\r\n\r\nhello', status: 201, body: 'hello', headers: { 'x-custom': 'a', 'keep-alive': undefined, 'content-length': '5' } },
    { name: 'chunked', answer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n', status: 200, body: 'abcde' },
    { name: 'until-close', answer: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nthe whole rest', status: 200, body: 'the whole rest' },
    { name: 'head', method: 'HEAD', answer: 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', status: 200, body: '', headers: { 'content-length': '1000' } },
    { name: 'continue', answer: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone', status: 200, body: 'done' },
    { name: 'cookies', answer: 'HTTP/1.1 204 No Content\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n', status: 204, body: '', headers: { 'set-cookie': ['a=1', 'b=2'] } },
    { name: 'not-found', answer: 'HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope', status: 404, body: 'nope' },
  ];
  for (const c of cases) {
    pod.answers.set(`/${c.name}`, (_seen, s) => {
      if (c.name === 'until-close') { s.end(c.answer, 'latin1'); return undefined; }
      return c.answer;
    });
    const a = await ask(server.httpPort, { host, path: `/${c.name}`, method: c.method });
    assert.equal(a.status, c.status, c.name);
    assert.equal(a.body, c.body, c.name);
    for (const [k, v] of Object.entries(c.headers ?? {})) assert.deepEqual(a.headers[k], v, `${c.name}: ${k}`);
  }
});

test('connections to the pod are kept and reused, one request at a time', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const from = pod.seen.length;
  for (let i = 0; i < 20; i++) {
    const status = await new Promise<number>((resolve, reject) => {
      http.get({ port: server.httpPort, path: '/reuse', headers: { host }, agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); }).on('error', reject);
    });
    assert.equal(status, 200);
  }
  agent.destroy();
  assert.equal(new Set(pod.seen.slice(from).map((x) => x.conn)).size, 1);
});

test('a kept connection the pod closes as a request arrives is replaced: the client sees the answer', async () => {
  assert.equal((await ask(server.httpPort, { host, path: '/warm' })).status, 200);
  const kept = pod.seen.at(-1)!.conn;
  // the pod hangs up on the kept connection as the next request reaches it (its keep-alive
  // timeout and the request crossed); the request is sent again on a new connection
  pod.answers.set('/after-close', (seen, s) => {
    if (seen.conn !== kept) return 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    s.destroy();
    return undefined;
  });
  const a = await ask(server.httpPort, { host, path: '/after-close' });
  assert.equal(a.status, 200);
  assert.equal(a.body, 'ok');
  assert.deepEqual(pod.seen.filter((x) => x.head.startsWith('GET /after-close')).map((x) => x.conn === kept), [true, false]);
});

test('request bodies with a Content-Length arrive whole; the headers ingress-nginx sets are sent', async () => {
  const body = 'x'.repeat(200_000);
  const a = await ask(server.httpPort, { host, path: '/post?q=1', method: 'POST', body, headers: { 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.9' } });
  assert.equal(a.status, 200);
  const seen = pod.seen.at(-1)!;
  assert.equal(seen.body.length, body.length);
  const lines = seen.head.split('\r\n');
  assert.equal(lines[0], 'POST /post?q=1 HTTP/1.1');
  for (const want of [`host: ${host}`, 'content-length: 200000', 'x-real-ip: 127.0.0.1', 'x-forwarded-for: 127.0.0.1', 'x-original-forwarded-for: 203.0.113.9', `x-forwarded-host: ${host}`, 'x-forwarded-proto: http']) assert.ok(lines.includes(want), `${want} in ${lines.join(' | ')}`);
  assert.ok(!lines.some((l) => /^connection:/i.test(l)), 'no Connection header upstream');
});

test('a silent pod is a 504; a pod that hangs up mid-answer aborts the client', async () => {
  pod.answers.set('/silent', () => undefined);
  assert.equal((await ask(server.httpPort, { host, path: '/silent' })).status, 504);
  // what curl calls "transfer closed with 91 bytes remaining to read"
  pod.answers.set('/cut', (_seen, s) => { s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part', 'latin1'); return undefined; });
  const raw = await rawAsk(server.httpPort, `GET /cut HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(raw, /\r\nContent-Length: 100\r\n/i);
  assert.ok(raw.endsWith('\r\n\r\nonly part'), raw);
});

test('a client that goes away closes its connection to the pod', async () => {
  // a controller whose read timeout cannot be what closes it
  const state = new IngressState();
  state.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx', true));
  state.setService(service('raw', [{ port: 80 }]));
  state.setEndpoints(endpoints('raw', ['127.0.0.20'], [{ port: pod.port }]));
  state.setIngress(ingress('raw', { rules: [rule(host, path('/', 'Prefix', 'raw'))] }));
  const patient = await startIngressServer({ host: '127.0.0.1', httpPort: 0, httpsPort: 0, state, fallbackCert: await fakeCertificate() });
  after(() => patient.close());
  pod.answers.set('/slow', () => undefined);
  const closedBefore = pod.closed;
  const c = net.connect(patient.httpPort, '127.0.0.1');
  c.write(`GET /slow HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  const until = Date.now() + 2000;
  while (pod.seen.at(-1)?.head.startsWith('GET /slow') !== true && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  c.destroy();
  while (pod.closed === closedBefore && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  assert.equal(pod.closed, closedBefore + 1);
});
