import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProbeState, parseProbe, resolvePort, runProbe, unhealthyMessage } from './probes.ts';

test('probe parsing with Kubernetes defaults (seed 002: exec ls /var/ready)', () => {
  assert.deepEqual(parseProbe({ exec: { command: ['ls', '/var/ready'] } }), {
    action: { type: 'exec', command: ['ls', '/var/ready'] }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3,
  });
  assert.deepEqual(parseProbe({ httpGet: { port: 'http' }, periodSeconds: 2, failureThreshold: 1 })?.action, { type: 'httpGet', host: undefined, port: 'http', path: '/', scheme: 'HTTP', headers: [] });
  assert.deepEqual(parseProbe({ tcpSocket: { port: 80 }, initialDelaySeconds: 5 })?.initialDelaySeconds, 5);
  assert.equal(parseProbe({}), undefined);
  assert.equal(resolvePort('http', { ports: [{ name: 'http', containerPort: 8080 }] }), 8080);
  assert.equal(resolvePort('90', {}), 90);
  assert.throws(() => resolvePort('nope', { ports: [] }), /couldn't find port: nope/);
});

test('readiness state: initial delay, period, thresholds', () => {
  const p = parseProbe({ exec: { command: ['x'] }, initialDelaySeconds: 5, periodSeconds: 2, successThreshold: 2, failureThreshold: 2 })!;
  const st = new ProbeState('readiness', p, 0);
  assert.equal(st.result, false);
  assert.equal(st.due(4999), false);
  assert.equal(st.due(5000), true);
  assert.equal(st.record(5000, true), false, 'one success of two');
  assert.equal(st.due(6000), false);
  assert.equal(st.record(7000, true), true);
  assert.equal(st.result, true);
  assert.equal(st.record(9000, false), false, 'one failure of two');
  assert.equal(st.record(11000, false), true);
  assert.equal(st.result, false);
  const live = new ProbeState('liveness', p, 0);
  assert.equal(live.result, true, 'liveness starts alive');
  assert.equal(unhealthyMessage('readiness', 'ls: /var/ready: No such file or directory'), 'Readiness probe failed: ls: /var/ready: No such file or directory');
});

test('httpGet and tcpSocket checks against local sockets', async () => {
  const srv = http.createServer((req, res) => { res.statusCode = req.url === '/bad' ? 500 : 200; res.end(); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  const closed = net.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const target = { podIP: '127.0.0.1', container: {}, exec: async () => ({ exitCode: 1, output: 'ls: /var/ready: No such file or directory\n' }) };
  try {
    const cases: Array<[any, boolean, string | RegExp]> = [
      [{ httpGet: { port, path: '/' } }, true, ''],
      [{ httpGet: { port, path: '/bad' } }, false, 'HTTP probe failed with statuscode: 500'],
      [{ httpGet: { port: closedPort } }, false, `Get "http://127.0.0.1:${closedPort}/": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`],
      [{ tcpSocket: { port } }, true, ''],
      [{ tcpSocket: { port: closedPort } }, false, `dial tcp 127.0.0.1:${closedPort}: connect: connection refused`],
      [{ exec: { command: ['ls', '/var/ready'] } }, false, 'ls: /var/ready: No such file or directory'],
    ];
    for (const [spec, ok, message] of cases) {
      const r = await runProbe(parseProbe(spec)!, target);
      assert.equal(r.ok, ok, JSON.stringify(spec));
      assert.equal(r.message, message, JSON.stringify(spec));
    }
  } finally {
    srv.close();
  }
});
