// mk tunnel and the ingress addon, against the in-process API server: 127.0.0.1:80/443 are
// forwarded to the cluster's recorded HTTP/HTTPS host ports only where those are other ports,
// only while the addon is enabled (following it as it changes), and closed when the tunnel
// stops, with minikube-shaped lines; the TCP forwarder joins a client to the target port.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { startFixture, type Fixture } from './harness.ts';
import { bufferOutput } from '../../src/lib/output.ts';
import { setAddonState } from '../../src/addons/state.ts';
import { ingressForwards, startIngressPorts, tcpForwarder, type Forward } from '../../src/cluster/tunnel/ingress-ports.ts';
import { runTunnel } from '../../src/cluster/tunnel/tunnel.ts';

let f: Fixture;
before(async () => { f = await startFixture(); });
after(async () => f?.close());

test('ingressForwards: 80 and 443 only where the cluster has other host ports', () => {
  const cases: [ports: { http: number; https: number } | undefined, want: Forward[]][] = [
    [{ http: 80, https: 443 }, []],
    [{ http: 80, https: 49201 }, [{ listen: 443, to: 49201 }]],
    [{ http: 49200, https: 443 }, [{ listen: 80, to: 49200 }]],
    [{ http: 49200, https: 49201 }, [{ listen: 80, to: 49200 }, { listen: 443, to: 49201 }]],
    [undefined, []],
  ];
  for (const [ports, want] of cases) assert.deepEqual(ingressForwards(ports), want, JSON.stringify(ports));
});

/** A forwarder that records what it opens and closes. */
function recorder() {
  const calls: string[] = [];
  return {
    calls,
    forward: async (x: Forward) => {
      if (x.listen === 443 && taken443) throw Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
      calls.push(`open ${x.listen}->${x.to}`);
      return { close: async () => void calls.push(`close ${x.listen}`) };
    },
  };
}
let taken443 = false;

async function until(what: string, f: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(f(), `timed out waiting for ${what}`);
}

test('the forwards follow the addon: opened while it is enabled, closed when disabled and when the tunnel stops', async () => {
  const rec = recorder();
  const out = bufferOutput();
  await setAddonState(f.client, 'ingress', 'disabled');
  const ports = startIngressPorts(f.client, { ports: { apiserver: 49199, http: 49200, https: 49201 }, forward: rec.forward, out });
  await ports.settled();
  assert.deepEqual(rec.calls, [], 'nothing while the addon is disabled');
  await setAddonState(f.client, 'ingress', 'enabled');
  await until('the forwards', () => rec.calls.length === 2);
  assert.deepEqual(rec.calls, ['open 80->49200', 'open 443->49201']);
  assert.equal(out.stdout, '* Starting tunnel for the ingress addon: 127.0.0.1:80 -> 127.0.0.1:49200, 127.0.0.1:443 -> 127.0.0.1:49201.\n');
  await setAddonState(f.client, 'ingress', 'disabled');
  await until('closed', () => rec.calls.length === 4);
  assert.deepEqual(rec.calls.slice(2).sort(), ['close 443', 'close 80']);
  assert.match(out.stdout, /\n\* Stopping tunnel for the ingress addon\.\n$/);
  await setAddonState(f.client, 'ingress', 'enabled');
  await until('opened again', () => rec.calls.length === 6);
  await ports.stop();
  assert.deepEqual(rec.calls.slice(6).sort(), ['close 443', 'close 80']);
});

test('a port another program holds is named and skipped; a cluster on 80/443 needs nothing', async () => {
  await setAddonState(f.client, 'ingress', 'enabled');
  taken443 = true;
  try {
    const rec = recorder();
    const out = bufferOutput();
    const ports = startIngressPorts(f.client, { ports: { apiserver: 49199, http: 49200, https: 49201 }, forward: rec.forward, out });
    await ports.settled();
    assert.deepEqual(rec.calls, ['open 80->49200']);
    assert.equal(out.stderr, '! Cannot expose 127.0.0.1:443 for the ingress addon (another program holds it): it stays on 127.0.0.1:49201.\n');
    assert.equal(out.stdout, '* Starting tunnel for the ingress addon: 127.0.0.1:80 -> 127.0.0.1:49200.\n');
    await ports.stop();
  } finally {
    taken443 = false;
  }
  const rec = recorder();
  const ports = startIngressPorts(f.client, { ports: { apiserver: 49199, http: 80, https: 443 }, forward: rec.forward, out: bufferOutput() });
  await ports.settled();
  await ports.stop();
  assert.deepEqual(rec.calls, []);
});

test('mk tunnel runs the forwards with its route, from the recorded ports, and stops them before it says it stopped', async () => {
  await setAddonState(f.client, 'ingress', 'enabled');
  const rec = recorder();
  const out = bufferOutput();
  const abort = new AbortController();
  const done = runTunnel(f.client, { profile: 'mk' }, {
    isRoot: () => true, nodeIp: async () => '10.244.0.2', pid: 4242, retryDelayMs: 10,
    route: { add: async () => true, remove: async () => {} },
    hostPorts: async (p) => (p === 'mk' ? { apiserver: 49199, http: 49200, https: 443 } : undefined),
    forward: rec.forward,
  }, out, abort.signal);
  await until('the forward', () => rec.calls.length === 1);
  assert.deepEqual(rec.calls, ['open 80->49200']);
  abort.abort();
  await done;
  assert.deepEqual(rec.calls, ['open 80->49200', 'close 80']);
  assert.match(out.stdout, /\* Starting tunnel for the ingress addon: 127\.0\.0\.1:80 -> 127\.0\.0\.1:49200\.\n/);
  assert.match(out.stdout, /Stopping tunnel for the ingress addon\.\nStopped the tunnel: removed the route 10\.96\.0\.0\/12 -> 10\.244\.0\.2\.\n$/);
});

test('tcpForwarder joins each connection to the target port, both ways, until closed', async () => {
  const echo = net.createServer((c) => c.pipe(c));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const listen = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const fwd = await tcpForwarder({ listen, to: (echo.address() as AddressInfo).port });
  try {
    const c = net.connect(listen, '127.0.0.1');
    c.end('through the tunnel');
    let got = '';
    c.on('data', (d) => (got += d));
    await once(c, 'close');
    assert.equal(got, 'through the tunnel');
  } finally {
    await fwd.close();
    echo.close();
  }
  await assert.rejects(new Promise((resolve, reject) => net.connect(listen, '127.0.0.1').on('connect', resolve).on('error', reject)), /ECONNREFUSED/);
});
