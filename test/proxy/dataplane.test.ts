// The data path on loopback: "ClusterIPs" are 127.0.0.2 and 127.0.0.3 (all of 127/8 is local on
// Linux, as the service range is on a node), backends are servers on other loopback ports.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { createProxy } from '../../src/agent/proxy/index.ts';
import { endpoints, service } from './fixtures.ts';

const cleanup: Array<() => unknown> = [];
after(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function freePort(type: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  if (type === 'udp') {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '0.0.0.0', () => r()));
    const p = s.address().port;
    s.close();
    return p;
  }
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '0.0.0.0', () => r()));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

/** A backend that says its name, then echoes, and half-closes after the client did. */
async function backend(name: string): Promise<{ port: number; server: net.Server }> {
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    s.write(`${name}\n`);
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise((r) => server.close(r)));
  return { port: (server.address() as net.AddressInfo).port, server };
}

/** Connects, sends `send`, half-closes, and returns everything read until the proxy closes. */
function request(host: string, port: number, send = ''): Promise<{ data: string; error?: string }> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, allowHalfOpen: true });
    let data = '';
    s.on('connect', () => s.end(send));
    s.on('data', (c) => (data += c));
    s.on('error', (e: NodeJS.ErrnoException) => resolve({ data, error: e.code }));
    s.on('close', () => resolve({ data }));
  });
}

function proxy() {
  const p = createProxy({ nodeName: 'mk', connectTimeoutMs: 1000 });
  cleanup.push(() => p.stop());
  return p;
}

test('TCP: balances across 3 backends; each ClusterIP on the same port is its own Service', async () => {
  const [a, b, c, d] = await Promise.all([backend('a'), backend('b'), backend('c'), backend('d')]);
  const port = await freePort();
  const p = proxy();
  p.table.setService(service('three', { clusterIP: '127.0.0.2', ports: [{ port }] }));
  p.table.setEndpoints({ ...endpoints('three', [], []), subsets: [a, b, c].map((x) => ({ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: x.port, protocol: 'TCP' }] })) });
  p.table.setService(service('one', { clusterIP: '127.0.0.3', ports: [{ port }] }));
  p.table.setEndpoints(endpoints('one', ['127.0.0.1'], [{ port: d.port }]));
  await p.settled();
  const seen = [];
  for (let i = 0; i < 6; i++) seen.push((await request('127.0.0.2', port, 'hi')).data);
  assert.deepEqual(seen, ['a\nhi', 'b\nhi', 'c\nhi', 'a\nhi', 'b\nhi', 'c\nhi']);
  assert.equal((await request('127.0.0.3', port, 'x')).data, 'd\nx');
  assert.equal(p.snapshot().connections.accepted, 7);
});

test('TCP: a refusing endpoint is skipped; with no endpoints the client is reset at once', async () => {
  const good = await backend('good');
  const dead = await freePort();
  const port = await freePort();
  const p = proxy();
  p.table.setService(service('s', { clusterIP: '127.0.0.4', ports: [{ name: 'web', port }] }));
  p.table.setEndpoints({ ...endpoints('s', [], []), subsets: [
    { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'web', port: dead, protocol: 'TCP' }] },
    { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'web', port: good.port, protocol: 'TCP' }] },
  ] });
  await p.settled();
  for (let i = 0; i < 4; i++) assert.equal((await request('127.0.0.4', port, 'q')).data, 'good\nq', `request ${i}`);

  p.table.setEndpoints(endpoints('s', [], []));
  const none = await request('127.0.0.4', port, 'q');
  assert.equal(none.data, '');
  assert.equal(none.error, 'ECONNRESET');
  // only refusing endpoints: also a reset, not a hang
  p.table.setEndpoints(endpoints('s', ['127.0.0.1'], [{ name: 'web', port: dead }]));
  assert.equal((await request('127.0.0.4', port, 'q')).error, 'ECONNRESET');
  // an address on the port that is no Service
  assert.equal((await request('127.0.0.5', port, 'q')).error, 'ECONNRESET');
  assert.equal(p.snapshot().connections.rejected, 3);
});

test('TCP: an open connection survives its endpoint leaving; the port closes when the last Service goes', async () => {
  const a = await backend('a');
  const port = await freePort();
  const p = proxy();
  p.table.setService(service('s', { clusterIP: '127.0.0.6', ports: [{ port }] }));
  p.table.setEndpoints(endpoints('s', ['127.0.0.1'], [{ port: a.port }]));
  await p.settled();
  const s = net.connect({ host: '127.0.0.6', port });
  let data = '';
  s.on('data', (c) => (data += c));
  await once(s, 'connect');
  s.write('one ');
  while (!data.includes('one')) await new Promise((r) => setTimeout(r, 5));
  p.table.setEndpoints(endpoints('s', [], []));
  p.table.deleteService('default/s');
  s.write('two');
  while (!data.includes('two')) await new Promise((r) => setTimeout(r, 5));
  assert.equal(data, 'a\none two');
  s.end();
  await once(s, 'close');
  assert.equal((await request('127.0.0.6', port)).error, 'ECONNREFUSED', 'nothing listens on the port any more');
});

test('TCP: half-close passes through and large payloads keep their bytes', async () => {
  const sink = net.createServer({ allowHalfOpen: true }, (s) => {
    let n = 0;
    s.on('data', (c: Buffer) => (n += c.length));
    s.on('end', () => s.end(`got ${n}`));
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise((r) => sink.close(r)));
  const port = await freePort();
  const p = proxy();
  p.table.setService(service('sink', { clusterIP: '127.0.0.7', ports: [{ port }] }));
  p.table.setEndpoints(endpoints('sink', ['127.0.0.1'], [{ port: (sink.address() as net.AddressInfo).port }]));
  await p.settled();
  const big = Buffer.alloc(8 * 1024 * 1024, 7).toString('latin1');
  assert.deepEqual(await request('127.0.0.7', port, big), { data: `got ${8 * 1024 * 1024}` });
});

test('TCP: a nodePort answers on any local address', async () => {
  const a = await backend('np');
  const [port, nodePort] = [await freePort(), await freePort()];
  const p = proxy();
  p.table.setService(service('np', { type: 'NodePort', clusterIP: '127.0.0.8', ports: [{ port, nodePort }] }));
  p.table.setEndpoints(endpoints('np', ['127.0.0.1'], [{ port: a.port }]));
  await p.settled();
  assert.equal((await request('127.0.0.1', nodePort, 'n')).data, 'np\nn');
  assert.equal((await request('127.0.0.9', nodePort, 'n')).data, 'np\nn');
  assert.equal((await request('127.0.0.8', port, 'c')).data, 'np\nc');
});

test('UDP: datagrams reach the backend and replies come back from the Service address', async () => {
  const echo = dgram.createSocket('udp4');
  echo.on('message', (m, r) => echo.send(Buffer.from(`echo:${m}`), r.port, r.address));
  await new Promise<void>((r) => echo.bind(0, '127.0.0.1', () => r()));
  cleanup.push(() => echo.close());
  const port = await freePort('udp');
  const p = proxy();
  p.table.setService(service('u', { clusterIP: '127.0.0.10', ports: [{ name: 'dns', port, protocol: 'UDP' }] }));
  p.table.setEndpoints(endpoints('u', ['127.0.0.1'], [{ name: 'dns', port: echo.address().port, protocol: 'UDP' }]));
  await p.settled();
  const client = dgram.createSocket('udp4');
  cleanup.push(() => client.close());
  await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
  const answers: Array<{ msg: string; from: string }> = [];
  client.on('message', (m, r) => answers.push({ msg: String(m), from: `${r.address}:${r.port}` }));
  for (const m of ['one', 'two']) {
    client.send(m, port, '127.0.0.10');
    while (answers.length < (m === 'one' ? 1 : 2)) await new Promise((r) => setTimeout(r, 5));
  }
  assert.deepEqual(answers, [{ msg: 'echo:one', from: `127.0.0.10:${port}` }, { msg: 'echo:two', from: `127.0.0.10:${port}` }]);
  assert.deepEqual(p.udp.status(), [{ host: '127.0.0.10', port, flows: 1 }]);
});
