// Real kubectl port-forward against the stand-in: SPDY/3.1 (1.27, 1.30) and SPDY inside a
// WebSocket (1.33), forwarding to a local TCP echo server standing in for the pod's port.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { localExec, localPortForward, startStandIn } from './stand-in.ts';
import type { StandIn } from './stand-in.ts';
import { kubectlBackground } from './run.ts';

let s: StandIn;
let echo: Server;
let echoPort: number;
let closedPort: number;

before(async () => {
  s = await startStandIn(localExec, localPortForward);
  echo = createServer((c) => c.pipe(c));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as AddressInfo).port;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
});
after(async () => {
  await s?.close();
  await new Promise<void>((r) => (echo ? echo.close(() => r()) : r()));
});

/** One TCP round trip through the forwarded port: send, half-close, read everything back. */
function roundTrip(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', port }, () => c.end(payload));
    let got = '';
    c.on('data', (d: Buffer) => (got += d));
    c.on('end', () => resolve(got));
    c.on('error', reject);
  });
}

const VERSIONS = [
  { minor: 27, upgrade: 'SPDY/3.1' },
  { minor: 30, upgrade: 'SPDY/3.1' },
  { minor: 33, upgrade: 'websocket' },
];

for (const v of VERSIONS) {
  describe(`kubectl 1.${v.minor} port-forward (${v.upgrade})`, () => {
    test('kubectl prints its Forwarding lines; two connections at once echo back', async () => {
      const seen = s.upgrades.length;
      const pf = kubectlBackground(s, v.minor, ['port-forward', 'pod/p', `0:${echoPort}`]);
      try {
        const m = await pf.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:(\\d+) -> ${echoPort}\\n`));
        const local = Number(m[1]);
        const big = 'y'.repeat(200_000);
        const [a, b] = await Promise.all([roundTrip(local, 'hello one\n'), roundTrip(local, big)]);
        assert.equal(a, 'hello one\n');
        assert.equal(b.length, big.length);
        assert.equal(await roundTrip(local, 'again\n'), 'again\n');
        await pf.waitFor(new RegExp(`Handling connection for ${local}\\n`));
        assert.equal(s.upgrades[seen]?.upgrade.toLowerCase(), v.upgrade.toLowerCase());
      } finally {
        await pf.stop();
      }
    });

    test('a closed remote port: the error text reaches kubectl', async () => {
      const pf = kubectlBackground(s, v.minor, ['port-forward', 'pod/p', `0:${closedPort}`]);
      try {
        const m = await pf.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:(\\d+) -> ${closedPort}\\n`));
        const local = Number(m[1]);
        await roundTrip(local, 'x').catch(() => '');
        // kubectl 1.31+ logs it through klog: `... err="an error occurred forwarding ...: <text>"`
        const e = await pf.waitFor(/an error occurred forwarding (\d+) -> (\d+): (.*?)"?\n/);
        assert.equal(e[3], `error forwarding port ${closedPort} to pod p, uid : dial tcp 127.0.0.1:${closedPort}: connect: connection refused`);
      } finally {
        await pf.stop();
      }
    });
  });
}
