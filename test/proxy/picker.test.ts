// Endpoint selection: round-robin, ClientIP stickiness and its expiry on an injected clock,
// the Local traffic policies, and the order candidates are tried in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Picker } from '../../src/agent/proxy/picker.ts';
import { ProxyTable, type Route } from '../../src/agent/proxy/table.ts';
import { endpoints, service } from './fixtures.ts';

const EPS = [{ ip: '10.244.1.2', nodeName: 'mk' }, { ip: '10.244.2.2', nodeName: 'mk-m02' }, { ip: '10.244.1.3', nodeName: 'mk' }];

function setup(spec: Record<string, unknown>, eps = EPS) {
  const t = new ProxyTable();
  t.setService(service('s', { type: 'NodePort', clusterIP: '10.96.0.5', ports: [{ port: 80, nodePort: 30123 }], ...spec }));
  t.setEndpoints(endpoints('s', eps, [{ port: 8080 }]));
  let now = 1_000_000;
  const picker = new Picker({ nodeName: 'mk', now: () => now });
  const internal = t.lookup('TCP', '10.96.0.5', 80)!;
  const external = t.lookup('TCP', '10.244.0.2', 30123)!;
  const first = (r: Route, client: string) => picker.pick(r, client)[0]?.ip;
  return { t, picker, internal, external, first, advance: (ms: number) => (now += ms) };
}

test('round-robin across endpoints; candidates follow the chosen one', () => {
  const { picker, internal, first } = setup({});
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => first(internal, '10.244.1.9')), ['10.244.1.2', '10.244.2.2', '10.244.1.3', '10.244.1.2', '10.244.2.2', '10.244.1.3']);
  assert.deepEqual(picker.pick(internal, 'c').map((b) => b.ip), ['10.244.1.2', '10.244.2.2', '10.244.1.3']);
  assert.deepEqual(picker.pick(internal, 'c').map((b) => b.ip), ['10.244.2.2', '10.244.1.3', '10.244.1.2']);
});

test('no endpoints: no candidates', () => {
  const { picker, internal } = setup({}, []);
  assert.deepEqual(picker.pick(internal, 'c'), []);
});

test('sessionAffinity ClientIP: one endpoint per client until the timeout passes', () => {
  const { picker, internal, first, advance } = setup({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } } });
  const a = first(internal, '10.244.1.50');
  const b = first(internal, '10.244.1.51');
  assert.notEqual(a, b, 'two clients are spread');
  for (let i = 0; i < 20; i++) assert.equal(first(internal, '10.244.1.50'), a, `request ${i}`);
  assert.equal(picker.stickyClients(internal.entry.id), 2);
  advance(10_000);
  assert.equal(first(internal, '10.244.1.50'), a, 'used within the timeout: still sticky (the timer restarts on use)');
  advance(10_001);
  const after = first(internal, '10.244.1.50');
  assert.notEqual(after, a, 'expired: a fresh round-robin choice');
  picker.sweep(() => 10);
  assert.equal(picker.stickyClients(internal.entry.id), 1, 'sweep drops the idle client');
});

test('affinity follows the endpoint that answered and leaves an endpoint that is gone', () => {
  const { t, picker, internal, first } = setup({ sessionAffinity: 'ClientIP' });
  const cands = picker.pick(internal, 'c');
  picker.used(internal, 'c', cands[1]!); // the first refused; the second answered
  assert.equal(first(internal, 'c'), cands[1]!.ip);
  t.setEndpoints(endpoints('s', EPS.filter((e) => e.ip !== cands[1]!.ip), [{ port: 8080 }]));
  const now = first(t.lookup('TCP', '10.96.0.5', 80)!, 'c');
  assert.ok(now && now !== cands[1]!.ip);
});

test('traffic policies: Local keeps this node\'s endpoints, for external or internal traffic as configured', () => {
  const cases: Array<{ spec: Record<string, unknown>; internal: string[]; external: string[] }> = [
    { spec: {}, internal: ['10.244.1.2', '10.244.2.2', '10.244.1.3'], external: ['10.244.1.2', '10.244.2.2', '10.244.1.3'] },
    { spec: { externalTrafficPolicy: 'Local' }, internal: ['10.244.1.2', '10.244.2.2', '10.244.1.3'], external: ['10.244.1.2', '10.244.1.3'] },
    { spec: { internalTrafficPolicy: 'Local' }, internal: ['10.244.1.2', '10.244.1.3'], external: ['10.244.1.2', '10.244.2.2', '10.244.1.3'] },
  ];
  for (const c of cases) {
    const { picker, internal, external } = setup(c.spec);
    assert.deepEqual(picker.usable(internal).map((b) => b.ip), c.internal, JSON.stringify(c.spec));
    assert.deepEqual(picker.usable(external).map((b) => b.ip), c.external, JSON.stringify(c.spec));
  }
  const other = new Picker({ nodeName: 'mk-m03' });
  const { external } = setup({ externalTrafficPolicy: 'Local' });
  assert.deepEqual(other.pick(external, 'c'), [], 'a node without local endpoints has none to offer');
});
