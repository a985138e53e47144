// Which host ports a new cluster gets: 127.0.0.1:80 and :443 for the ingress addon when nothing
// holds them (or when only Docker, as root, can tell), free ones otherwise; and, for a stopped
// cluster whose ingress port was taken meanwhile, new ingress ports with the API server's kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { chooseHostPorts, movedIngressPorts, probeLocalPort, refusedPort, type PortProbe } from './host-ports.ts';

/** A probe that answers from a table (ports not in it are free). */
const probe = (answers: Record<number, 'free' | 'taken' | 'unknown'>): PortProbe => async (p) => answers[p] ?? 'free';
const random = (p: number) => p >= 1024;

test('chooseHostPorts: 80 and 443 when they are free, free ports for those that are not', async () => {
  const cases: { name: string; probe: Record<number, 'free' | 'taken' | 'unknown'>; avoid?: number[]; http: number | 'random'; https: number | 'random' }[] = [
    { name: 'both free', probe: {}, http: 80, https: 443 },
    { name: '80 taken', probe: { 80: 'taken' }, http: 'random', https: 443 },
    { name: '443 taken', probe: { 443: 'taken' }, http: 80, https: 'random' },
    { name: 'both taken', probe: { 80: 'taken', 443: 'taken' }, http: 'random', https: 'random' },
    // not root: this process cannot bind them, Docker (root) can; it refuses if they are taken
    { name: 'not ours to bind', probe: { 80: 'unknown', 443: 'unknown' }, http: 80, https: 443 },
    // Docker refused them on the first try
    { name: 'refused before', probe: {}, avoid: [80, 443], http: 'random', https: 'random' },
  ];
  for (const c of cases) {
    const p = await chooseHostPorts(c.avoid ?? [], probe(c.probe));
    assert.ok(random(p.apiserver), `${c.name}: API server ${p.apiserver}`);
    for (const [k, want] of [['http', c.http], ['https', c.https]] as const) {
      if (want === 'random') assert.ok(random(p[k]) && !(c.avoid ?? []).includes(p[k]), `${c.name}: ${k} ${p[k]}`);
      else assert.equal(p[k], want, `${c.name}: ${k}`);
    }
    assert.equal(new Set(Object.values(p)).size, 3, `${c.name}: distinct ${JSON.stringify(p)}`);
  }
});

test('probeLocalPort: taken while something listens on 127.0.0.1, free once it stops', async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  assert.equal(await probeLocalPort(port), 'taken');
  await new Promise((r) => s.close(r));
  assert.equal(await probeLocalPort(port), 'free');
});

test("movedIngressPorts: only an ingress port refused by Docker moves; the API server's stays", async () => {
  const recorded = { apiserver: 40001, http: 80, https: 443 };
  const refusal = (port: number) => new Error(`driver failed programming external connectivity on endpoint mk: Bind for 127.0.0.1:${port} failed: port is already allocated`);
  assert.equal(refusedPort(refusal(80)), 80);
  assert.equal(refusedPort(new Error('listen tcp4 127.0.0.1:443: bind: address already in use')), 443);

  const http = await movedIngressPorts(refusal(80), recorded, { probe: probe({}) });
  assert.equal(http?.apiserver, 40001);
  assert.ok(random(http!.http), `http moved: ${http?.http}`);
  assert.equal(http?.https, 443);

  const https = await movedIngressPorts(refusal(443), recorded, { probe: probe({}) });
  assert.deepEqual([https?.apiserver, https?.http], [40001, 80]);
  assert.ok(random(https!.https));

  const avoided = await movedIngressPorts(refusal(443), recorded, { avoid: [80], probe: probe({}) });
  assert.ok(random(avoided!.http) && random(avoided!.https));

  // ports chosen at random the first time (80/443 were held then) stay, though 80/443 are free now
  const chosen = { apiserver: 40001, http: 38001, https: 38002 };
  assert.deepEqual(await movedIngressPorts(refusal(38001), chosen, { probe: probe({}) }), { apiserver: 40001, http: 80, https: 38002 });
  assert.deepEqual(await movedIngressPorts(refusal(38002), chosen, { probe: probe({}) }), { apiserver: 40001, http: 38001, https: 443 });
  const bothGone = await movedIngressPorts(refusal(38001), chosen, { probe: probe({ 38002: 'taken', 80: 'taken' }) });
  assert.deepEqual([bothGone?.https, random(bothGone!.http), bothGone?.http !== 38001], [443, true, true]);

  assert.equal(await movedIngressPorts(refusal(40001), recorded), undefined, 'the API server port: the user must free it');
  assert.equal(await movedIngressPorts(refusal(8080), recorded), undefined, 'not one of ours');
  assert.equal(await movedIngressPorts(new Error('no such image'), recorded), undefined);
  assert.equal(await movedIngressPorts(refusal(80), undefined), undefined, 'nothing recorded');
});
