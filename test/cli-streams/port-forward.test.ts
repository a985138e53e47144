// mk port-forward against the in-process API server: pod/, svc/ (service port → targetPort,
// named targetPorts), deploy/; two connections at once over one SPDY connection; a closed remote
// port reports kubectl's error for that connection while the forward keeps running.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { once } from 'node:events';
import { startPortForwardCommand } from '../../src/cli/port-forward.ts';
import { bufferOutput } from '../../src/lib/output.ts';
import { formatError } from '../../src/cli/errors.ts';
import { KUBECTL, startFixture } from './harness.ts';
import type { Fixture } from './harness.ts';

let fx: Fixture;
before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

/** Sends text on a new connection and reads until the peer closes (or `want` bytes came). */
async function roundTrip(port: number, text: string, want = text.length): Promise<string> {
  const s = connect(port, '127.0.0.1');
  s.on('error', () => undefined);
  await once(s, 'connect');
  let got = '';
  s.write(text);
  await new Promise<void>((resolve) => {
    s.on('data', (d) => {
      got += d;
      if (got.length >= want) resolve();
    });
    s.on('close', () => resolve());
  });
  s.destroy();
  return got;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

const localOf = (line: string) => Number(/:(\d+) ->/.exec(line)?.[1]);

for (const target of ['pod/runner', 'runner', 'svc/web', 'svc/named', 'deploy/web']) {
  test(`mk port-forward ${target}: two connections at once, then a closed port, and the forward keeps running`, async () => {
    const out = bufferOutput();
    const remote = target === 'svc/web' ? '80' : target === 'svc/named' ? '8080' : String(fx.echoPort);
    const fwd = await startPortForwardCommand(fx.client, fx.conn, { target, ports: [`:${remote}`, `0:${target.startsWith('svc/') ? 81 : fx.closedPort}`], addresses: ['127.0.0.1'] }, out);
    try {
      const [good, bad] = fwd.ports;
      const lines = out.stdout.split('\n');
      assert.equal(lines[0], `Forwarding from 127.0.0.1:${good!.local} -> ${fx.echoPort}`);
      assert.equal(lines[1], `Forwarding from 127.0.0.1:${bad!.local} -> ${fx.closedPort}`);
      const [a, b] = await Promise.all([roundTrip(good!.local, 'first'), roundTrip(good!.local, 'second')]);
      assert.deepEqual([a, b], ['first', 'second']);
      assert.equal(await roundTrip(bad!.local, 'x'), '');
      await until(() => out.stderr !== '');
      assert.equal(out.stderr, `an error occurred forwarding ${bad!.local} -> ${fx.closedPort}: error forwarding port ${fx.closedPort} to pod runner, uid : dial tcp 127.0.0.1:${fx.closedPort}: connect: connection refused\n`);
      assert.equal(await roundTrip(good!.local, 'still here'), 'still here');
      assert.equal(out.stdout.split('\n').filter((l) => l.startsWith('Handling')).join('\n'), [good, good, bad, good].map((p) => `Handling connection for ${p!.local}`).join('\n'));
    } finally {
      await fwd.close();
    }
    await fwd.done;
  });
}

test('mk port-forward prints what kubectl prints (listening, handling, the closed-port error)', async () => {
  const out = bufferOutput();
  const fwd = await startPortForwardCommand(fx.client, fx.conn, { target: 'svc/web', ports: ['0:82'], addresses: ['127.0.0.1'] }, out).catch((e) => e);
  assert.equal(formatError(fwd), 'error: Service web does not have a service port 82');
  const mk = bufferOutput();
  const mkFwd = await startPortForwardCommand(fx.client, fx.conn, { target: 'pod/runner', ports: [`0:${fx.closedPort}`], addresses: ['localhost'] }, mk);
  const k = spawn(KUBECTL, fx.kubectlArgs(['port-forward', 'pod/runner', `0:${fx.closedPort}`]));
  try {
    let kout = '';
    k.stdout.on('data', (d) => (kout += d));
    k.stderr.on('data', (d) => (kout += d));
    await until(() => /Forwarding from \[::1\]|Forwarding from 127.*\n(?!Forwarding)/.test(kout) && kout.endsWith('\n'));
    const kPort = localOf(kout);
    assert.equal(await roundTrip(kPort, 'x'), '');
    assert.equal(await roundTrip(mkFwd.ports[0]!.local, 'x'), '');
    await until(() => /an error occurred/.test(kout) && mk.stderr !== '');
    const norm = (t: string, port: number) => t.replaceAll(String(port), 'LOCAL');
    const kLines = norm(kout, kPort).split('\n');
    const mkLines = norm(mk.stdout + mk.stderr, mkFwd.ports[0]!.local).split('\n');
    assert.deepEqual(mkLines.slice(0, 3), kLines.slice(0, 3), 'Forwarding… lines and Handling connection');
    const kErr = /err="(.*)"$/.exec(kLines.find((l) => l.includes('an error occurred'))!)?.[1];
    assert.equal(mkLines[3], kErr);
  } finally {
    k.kill();
    await mkFwd.close();
  }
});

test('mk port-forward to a pod that is not Running: kubectl\'s error', async () => {
  const out = bufferOutput();
  const err = await startPortForwardCommand(fx.client, fx.conn, { target: 'waiting', ports: ['8080'], addresses: ['127.0.0.1'] }, out).catch((e) => e);
  assert.equal(formatError(err), 'error: unable to forward port because pod is not running. Current status=Pending');
});
