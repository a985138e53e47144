// The timeline: what changed between two pictures, in users' words (scaled, pods created, ready
// and not, endpoints added, not ready, removed, a Service left without ready endpoints, nodes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph, type ClusterObjects } from './graph.ts';
import { graphChanges, Timeline } from './timeline.ts';
import { deployment, endpoints, ingress, node, pod, statefulSet, webCluster } from '../objects.test-helper.ts';

const NOW = new Date('2026-01-01T00:10:00Z');
const g = (o: ClusterObjects) => buildGraph(o, NOW);

const base = webCluster(2);
const [p0, p1] = base.pods as [typeof base.pods[0], typeof base.pods[0]];
const third = pod('web-abc-2', { node: 'mk', ip: '10.244.0.12', rs: 'web-abc' });
const ep = (ready: typeof p0[], notReady: typeof p0[] = []) => endpoints('web', ready.map((p) => ({ ip: p.status!.podIP as string, pod: p.metadata.name! })), notReady.map((p) => ({ ip: p.status!.podIP as string, pod: p.metadata.name! })));

const cases: Array<{ name: string; next: ClusterObjects; want: Array<[string, string]> }> = [
  { name: 'nothing changed', next: base, want: [] },
  {
    name: 'scaled up: the Deployment, the new pod, its endpoint',
    next: { ...base, deployments: [deployment('web', 3)], pods: [p0, p1, third], endpoints: [ep([p0, p1, third])] },
    want: [
      ['info', 'Deployment default/web scaled from 2 to 3'],
      ['info', 'Pod default/web-abc-2 created on mk'],
      ['info', 'Service default/web: endpoint 10.244.0.12 (web-abc-2) added'],
    ],
  },
  {
    name: 'a pod fails its readiness probe: the pod and its endpoint are not ready',
    next: { ...base, pods: [pod('web-abc-0', { node: 'mk', ip: '10.244.0.10', rs: 'web-abc', ready: false }), p1], endpoints: [ep([p1], [p0])] },
    want: [
      ['warning', 'Pod default/web-abc-0 is not ready (Running)'],
      ['warning', 'Service default/web: endpoint 10.244.0.10 (web-abc-0) not ready'],
    ],
  },
  {
    name: 'every pod gone: the endpoints removed, the Service without ready endpoints',
    next: { ...base, pods: [], endpoints: [ep([])] },
    want: [
      ['info', 'Pod default/web-abc-0 deleted'],
      ['info', 'Pod default/web-abc-1 deleted'],
      ['warning', 'Service default/web: endpoint 10.244.0.10 (web-abc-0) removed'],
      ['warning', 'Service default/web: endpoint 10.244.1.11 (web-abc-1) removed'],
      ['warning', 'Service default/web has no ready endpoints'],
    ],
  },
  {
    name: 'a StatefulSet created',
    next: { ...base, statefulsets: [statefulSet('db', 1)] },
    want: [['info', 'StatefulSet default/db created with 1 replica']],
  },
  {
    name: 'a node goes NotReady; another joins',
    next: { ...base, nodes: [node('mk', '192.168.49.2', { controlPlane: true }), node('mk-m02', '192.168.49.3', { ready: false }), node('mk-m03', '192.168.49.4')] },
    want: [
      ['warning', 'Node mk-m02 is NotReady'],
      ['info', 'Node mk-m03 joined'],
    ],
  },
  {
    name: 'a Service deleted and an Ingress created',
    next: { ...base, services: [], endpoints: [], ingresses: [ingress('front', [{ host: 'web.local', path: '/', service: 'web', port: 80 }])] },
    want: [
      ['info', 'Service default/web deleted'],
      ['info', 'Ingress default/front created (web.local/)'],
    ],
  },
];

for (const c of cases) {
  test(`timeline: ${c.name}`, () => {
    assert.deepEqual(graphChanges(g(base), g(c.next)).map((x) => [x.level, x.text]), c.want);
  });
}

test('timeline: entries carry their time and object, and only the last ones are kept', () => {
  const t = new Timeline(2);
  const added = t.record(g(base), g({ ...base, deployments: [deployment('web', 3)], pods: [p0, p1, third] }), 1000);
  assert.deepEqual(added.map((e) => [e.at, e.object]), [
    [1000, { kind: 'Deployment', namespace: 'default', name: 'web' }],
    [1000, { kind: 'Pod', namespace: 'default', name: 'web-abc-2' }],
  ]);
  t.record(g(base), g({ ...base, deployments: [deployment('web', 1)] }), 2000);
  assert.deepEqual(t.entries.map((e) => e.text), ['Pod default/web-abc-2 created on mk', 'Deployment default/web scaled from 2 to 1']);
});
