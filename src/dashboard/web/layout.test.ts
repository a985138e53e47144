// Where the map puts things: one arrow per Service endpoint to its pod (dashed when not ready),
// as thick as its share of the traffic; one per Ingress rule to its Service; pods inside their
// node's box; kube-* namespaces hidden unless asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../model/graph.ts';
import type { TrafficView } from '../model/traffic.ts';
import { endpoints, ingress, pod, service, webCluster } from '../objects.test-helper.ts';
import { layout, shows, type Layout, type NamespaceFilter } from './layout.ts';

const NOW = new Date('2026-01-01T00:10:00Z');
const USER: NamespaceFilter = { all: true, system: false };
const inside = (outer: { x: number; y: number; w: number; h: number }, inner: typeof outer) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;

const traffic = (eps: Record<string, number>): TrafficView => ({
  at: 0, nodes: [], services: { 'default/web': Object.fromEntries(Object.entries(eps).map(([ip, c]) => [ip, { connections: c, connectionsPerSecond: 0 }])) },
});

const base = webCluster(2);
const cases: Array<{ name: string; l: Layout; want: Array<[string, boolean, number?]> }> = [
  {
    name: 'one ready arrow per endpoint, to the pods',
    l: layout(buildGraph(base, NOW), USER),
    want: [['svc:default/web>10.244.0.10', true], ['svc:default/web>10.244.1.11', true]],
  },
  {
    name: 'a not-ready endpoint is dashed',
    l: layout(buildGraph({ ...base, endpoints: [endpoints('web', [{ ip: '10.244.0.10', pod: 'web-abc-0' }], [{ ip: '10.244.1.11', pod: 'web-abc-1' }])] }, NOW), USER),
    want: [['svc:default/web>10.244.0.10', true], ['svc:default/web>10.244.1.11', false]],
  },
  {
    name: 'arrows as thick as the endpoint\'s share: 98% and 2% (seed 001)',
    l: layout(buildGraph(base, NOW), USER, traffic({ '10.244.0.10': 98, '10.244.1.11': 2 })),
    want: [['svc:default/web>10.244.0.10', true, 2 + 0.98 * 12], ['svc:default/web>10.244.1.11', true, 2 + 0.02 * 12]],
  },
  {
    name: 'an Ingress rule points at its Service',
    l: layout(buildGraph({ ...base, ingresses: [ingress('front', [{ host: 'web.local', path: '/', service: 'web', port: 80 }])] }, NOW), USER),
    want: [['svc:default/web>10.244.0.10', true], ['svc:default/web>10.244.1.11', true], ['ing:default/front#0', true]],
  },
  {
    name: 'kube-system hidden by default: its Service draws no arrow',
    l: layout(buildGraph({ ...base, services: [...base.services, service('kube-dns', '10.96.0.10', { namespace: 'kube-system' })], pods: [...base.pods, pod('coredns-1', { node: 'mk', ip: '10.244.0.2', namespace: 'kube-system' })], endpoints: [...base.endpoints, endpoints('kube-dns', [{ ip: '10.244.0.2', pod: 'coredns-1' }], [], { namespace: 'kube-system' })] }, NOW), USER),
    want: [['svc:default/web>10.244.0.10', true], ['svc:default/web>10.244.1.11', true]],
  },
];

for (const c of cases) {
  test(`layout: ${c.name}`, () => {
    assert.deepEqual(c.l.arrows.map((a) => [a.key, a.ready, ...(c.want.some((w) => w[2] !== undefined) ? [a.width] : [])]), c.want.map((w) => (w[2] === undefined ? [w[0], w[1]] : w)));
  });
}

test('layout: pods inside their node\'s box, arrows from the Service\'s right edge to the pod\'s left edge', () => {
  const l = layout(buildGraph(base, NOW), USER);
  for (const n of l.nodes) for (const p of n.pods) assert.ok(inside(n.box, p.box), `${p.pod.id} inside ${n.title}`);
  const svc = l.services[0]!.box;
  for (const a of l.arrows) {
    const pod = l.nodes.flatMap((n) => n.pods).find((p) => p.pod.ip === a.endpoint)!;
    assert.equal(a.from.x, svc.x + svc.w);
    assert.equal(a.to.x, pod.box.x);
  }
});

test('layout: namespaces shown by each filter', () => {
  const cases: Array<[NamespaceFilter, string, boolean]> = [
    [USER, 'default', true], [USER, 'kube-system', false], [{ all: true, system: true }, 'kube-system', true],
    [{ namespace: 'shop' }, 'shop', true], [{ namespace: 'shop' }, 'default', false],
  ];
  for (const [f, ns, want] of cases) assert.equal(shows(f, ns), want, `${JSON.stringify(f)} ${ns}`);
});

// seed 002's picture: kubia and kubia-nodeport point at the same pods, bar at others; by name the
// pods interleave (bar-, kubia-, bar-, …) on each node
const interleaved = (() => {
  const eps = (app: string, ips: Array<[string, string]>) => ips.map(([ip, node], i) => ({ ip, node, pod: `${app}-x-${i}` }));
  const kubia: Array<[string, string]> = [['10.244.0.11', 'mk'], ['10.244.1.11', 'mk-m02']];
  const bar: Array<[string, string]> = [['10.244.0.10', 'mk'], ['10.244.1.10', 'mk-m02']];
  const pods = [...eps('kubia', kubia), ...eps('bar', bar)].map((a) => pod(a.pod, { node: a.node, ip: a.ip }));
  return buildGraph({
    ...base,
    pods: [...pods, pod('client', { node: 'mk', ip: '10.244.0.2' })],
    services: [service('bar', '10.96.0.30'), service('kubia', '10.96.0.31'), service('kubia-nodeport', '10.96.0.32', { selector: { app: 'kubia' }, type: 'NodePort' })],
    endpoints: [endpoints('bar', eps('bar', bar)), endpoints('kubia', eps('kubia', kubia)), endpoints('kubia-nodeport', eps('kubia', kubia))],
  }, NOW);
})();

test('layout: a node\'s pods grouped by the Service pointing at them, in the Services\' order; the rest last', () => {
  const l = layout(interleaved, USER);
  assert.deepEqual(l.nodes.map((n) => n.pods.map((p) => p.pod.name)), [['bar-x-0', 'kubia-x-0', 'client'], ['bar-x-1', 'kubia-x-1']]);
  assert.deepEqual(l.services.map((s) => s.service.name), ['bar', 'kubia', 'kubia-nodeport']);
});

test('layout: arrows reaching the same pod arrive at different heights, in the order they come from', () => {
  const l = layout(interleaved, USER);
  for (const ip of ['10.244.0.11', '10.244.1.11']) {
    const [a, b] = [l.arrows.find((x) => x.key === `svc:default/kubia>${ip}`)!, l.arrows.find((x) => x.key === `svc:default/kubia-nodeport>${ip}`)!];
    assert.equal(a.to.x, b.to.x);
    assert.ok(a.to.y < b.to.y, `kubia's arrow (${a.to.y}) above kubia-nodeport's (${b.to.y}) at ${ip}`);
  }
  const alone = l.arrows.find((x) => x.key === 'svc:default/bar>10.244.0.10')!;
  const box = l.nodes[0]!.pods[0]!.box;
  assert.equal(alone.to.y, box.y + box.h / 2);
});

test('layout: packets of an endpoint several Services point at are no one\'s: those Services are weighed by connections', () => {
  const t = (conn: number, packets: number) => ({ connections: conn, connectionsPerSecond: 0, packets, packetsPerSecond: 0 });
  const l = layout(interleaved, USER, {
    at: 0, nodes: [],
    services: {
      'default/kubia': { '10.244.0.11': t(40, 400), '10.244.1.11': t(0, 0) },
      'default/kubia-nodeport': { '10.244.0.11': t(0, 400), '10.244.1.11': t(10, 100) },
      'default/bar': { '10.244.0.10': t(1, 90), '10.244.1.10': t(1, 10) },
    },
  });
  const width = (k: string) => l.arrows.find((a) => a.key === k)!;
  assert.deepEqual(['svc:default/kubia-nodeport>10.244.0.11', 'svc:default/kubia-nodeport>10.244.1.11', 'svc:default/bar>10.244.0.10'].map((k) => [width(k).width, width(k).sharedPackets ?? false]), [[2, true], [14, true], [2 + 0.9 * 12, false]]);
  assert.deepEqual(l.services.map((s) => [s.service.name, s.total]), [
    ['bar', { connections: 2, perSecond: 0, packets: 100 }],
    ['kubia', { connections: 40, perSecond: 0 }],
    ['kubia-nodeport', { connections: 10, perSecond: 0 }],
  ]);
});

test('layout: an Ingress rule whose Service is not there has no arrow and says so', () => {
  const l = layout(buildGraph({ ...base, ingresses: [ingress('front', [{ host: 'web.local', path: '/', service: 'web', port: 80 }, { host: 'web.local', path: '/api', service: 'api', port: 80 }])] }, NOW), USER);
  assert.deepEqual(l.ingresses[0]!.rules.map((r) => [r.rule.path, r.missing ?? false]), [['/', false], ['/api', true]]);
  assert.deepEqual(l.arrows.filter((a) => a.kind === 'ingress').map((a) => a.key), ['ing:default/front#0']);
});

test('layout: Services pointing at the same pods on other ports share no packets', () => {
  const eps = [{ ip: '10.244.0.10', pod: 'web-abc-0', node: 'mk' }, { ip: '10.244.1.11', pod: 'web-abc-1', node: 'mk-m02' }];
  const g = buildGraph({ ...base, services: [...base.services, service('metrics', '10.96.0.21', { selector: { app: 'web' } })], endpoints: [...base.endpoints, endpoints('metrics', eps, [], { port: 9090 })] }, NOW);
  const t = (conn: number, packets: number) => ({ connections: conn, connectionsPerSecond: 0, packets, packetsPerSecond: 0 });
  const l = layout(g, USER, { at: 0, nodes: [], services: { 'default/web': { '10.244.0.10': t(1, 30), '10.244.1.11': t(1, 10) }, 'default/metrics': { '10.244.0.10': t(1, 5), '10.244.1.11': t(1, 5) } } });
  assert.deepEqual(Object.fromEntries(l.services.map((s) => [s.service.name, s.total?.packets])), { metrics: 10, web: 40 });
  assert.ok(l.arrows.every((a) => !a.sharedPackets));
});
