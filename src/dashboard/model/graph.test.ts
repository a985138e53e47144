// The dashboard's picture from the cluster's objects: nodes holding their pods, pods' owners
// (a ReplicaSet's Deployment), Services' endpoints ready or not with their pods and nodes,
// Ingress rules, workloads' replica counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph, compareIPs, type Graph } from './graph.ts';
import { deployment, endpoints, ingress, node, NO_OBJECTS, pod, replicaSet, service, statefulSet, webCluster } from '../objects.test-helper.ts';
import type { ClusterObjects } from './graph.ts';

const NOW = new Date('2026-01-01T00:10:00Z');

const cases: Array<{ name: string; objects: ClusterObjects; check(g: Graph): void }> = [
  {
    name: 'nodes hold their pods; a pod bound to no node is unscheduled',
    objects: { ...webCluster(3), pods: [...webCluster(3).pods, pod('pending-x')] },
    check: (g) => {
      assert.deepEqual(g.nodes.map((n) => [n.name, n.ready, n.roles, n.ip, n.pods]), [
        ['mk', true, ['control-plane'], '192.168.49.2', ['default/web-abc-0', 'default/web-abc-2']],
        ['mk-m02', true, [], '192.168.49.3', ['default/web-abc-1']],
      ]);
      assert.deepEqual(g.unscheduled, ['default/pending-x']);
      assert.deepEqual(g.namespaces, ['default']);
    },
  },
  {
    name: 'a pod of a ReplicaSet belongs to its Deployment; its status and READY as kubectl says them',
    objects: { ...webCluster(1), pods: [pod('web-abc-0', { node: 'mk', ip: '10.244.0.10', rs: 'web-abc', ready: false, waiting: 'CrashLoopBackOff' })] },
    check: (g) => {
      assert.deepEqual(g.pods.map((p) => [p.id, p.owner, p.status, p.readyContainers, p.ready]), [
        ['default/web-abc-0', { kind: 'Deployment', namespace: 'default', name: 'web' }, 'CrashLoopBackOff', '0/1', false],
      ]);
    },
  },
  {
    name: 'a Service\'s endpoints: ready and not ready, with their pods and nodes, sorted by IP',
    objects: {
      ...NO_OBJECTS,
      nodes: [node('mk', '192.168.49.2')],
      services: [service('web', '10.96.0.20', { ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] })],
      endpoints: [endpoints('web', [{ ip: '10.244.0.9', pod: 'web-b', node: 'mk' }, { ip: '10.244.0.10', pod: 'web-a', node: 'mk' }], [{ ip: '10.244.1.2', pod: 'web-c' }])],
    },
    check: (g) => {
      const s = g.services[0]!;
      assert.deepEqual([s.id, s.type, s.clusterIP, s.ports, s.selector], ['default/web', 'ClusterIP', '10.96.0.20', ['http:80→8080/TCP', '443/TCP'], 'app=web']);
      assert.deepEqual(s.endpoints.map((e) => [e.ip, e.ready, e.pod, e.node, e.ports]), [
        ['10.244.0.9', true, 'default/web-b', 'mk', ['8080/TCP']],
        ['10.244.0.10', true, 'default/web-a', 'mk', ['8080/TCP']],
        ['10.244.1.2', false, 'default/web-c', undefined, ['8080/TCP']],
      ]);
    },
  },
  {
    name: 'an endpoint at a node\'s address names that node (the kubernetes Service); no Endpoints, no endpoints',
    objects: {
      ...NO_OBJECTS,
      nodes: [node('mk', '192.168.49.2')],
      services: [service('kubernetes', '10.96.0.1', { selector: null, ports: [{ name: 'https', port: 443, targetPort: 8443 }] }), service('lonely', '10.96.0.30')],
      endpoints: [endpoints('kubernetes', [{ ip: '192.168.49.2' }], [], { port: 8443 })],
    },
    check: (g) => {
      assert.deepEqual(g.services.map((s) => [s.name, s.selector, s.ports, s.endpoints.map((e) => [e.ip, e.node, e.pod])]), [
        ['kubernetes', '', ['https:443→8443/TCP'], [['192.168.49.2', 'mk', undefined]]],
        ['lonely', 'app=lonely', ['80→8080/TCP'], []],
      ]);
    },
  },
  {
    name: 'a NodePort Service shows its node port',
    objects: { ...NO_OBJECTS, services: [service('np', '10.96.0.40', { type: 'NodePort', ports: [{ port: 80, targetPort: 80, nodePort: 30080, protocol: 'TCP' }] })] },
    check: (g) => assert.deepEqual(g.services.map((s) => [s.type, s.ports]), [['NodePort', ['80:30080/TCP']]]),
  },
  {
    name: 'an Ingress\'s rules point at Services (a rule without host is *)',
    objects: { ...NO_OBJECTS, ingresses: [ingress('front', [{ host: 'web.local', path: '/', service: 'web', port: 80 }, { path: '/api', service: 'api', port: 8080 }])] },
    check: (g) => {
      const i = g.ingresses[0]!;
      assert.deepEqual([i.id, i.className, i.addresses], ['default/front', 'nginx', ['192.168.49.2']]);
      assert.deepEqual(i.rules, [
        { host: 'web.local', path: '/', pathType: 'Prefix', service: 'default/web', port: '80' },
        { host: '*', path: '/api', pathType: 'Prefix', service: 'default/api', port: '8080' },
      ]);
    },
  },
  {
    name: 'Deployments and StatefulSets with desired, ready and available replicas; namespaces of everything, sorted',
    objects: { ...NO_OBJECTS, deployments: [deployment('web', 3, 2), deployment('coredns', 1, 1, 'kube-system')], replicasets: [replicaSet('web', 'abc')], statefulsets: [statefulSet('db', 2, 1)] },
    check: (g) => {
      assert.deepEqual(g.workloads.map((w) => [w.id, w.kind, w.replicas, w.ready, w.available]), [
        ['default/db', 'StatefulSet', 2, 1, 1],
        ['default/web', 'Deployment', 3, 2, 2],
        ['kube-system/coredns', 'Deployment', 1, 1, 1],
      ]);
      assert.deepEqual(g.namespaces, ['default', 'kube-system']);
    },
  },
];

for (const c of cases) {
  test(`graph: ${c.name}`, () => c.check(buildGraph(c.objects, NOW)));
}

test('graph: the same objects in another order make the same picture', () => {
  const o = webCluster(3);
  const shuffled: ClusterObjects = { ...o, nodes: [...o.nodes].reverse(), pods: [...o.pods].reverse() };
  assert.deepEqual(buildGraph(shuffled, NOW), buildGraph(o, NOW));
});

test('graph: IPs compare by number', () => {
  const cases: Array<[string, string, number]> = [['10.0.0.9', '10.0.0.10', -1], ['10.1.0.0', '10.0.255.255', 1], ['10.0.0.1', '10.0.0.1', 0]];
  for (const [a, b, sign] of cases) assert.equal(Math.sign(compareIPs(a, b)), sign, `${a} vs ${b}`);
});
