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
