// The renderer as golden tables: each case is Services + Endpoints as a user writes them, seen by
// the node `node-a` (pods 10.244.1.0/24), rendered as the iptables-restore input of a first sync
// on an empty nat table; testdata/<case>.rules holds what kube-proxy's proxier.go writes for them
// (with mk's deliberate differences, render.ts's header). MK_UPDATE_GOLDEN=1 rewrites the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../../api/types.ts';
import { entriesFor } from '../table.ts';
import { renderService } from './render.ts';
import { fullRestore } from './restore.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ctx = { nodeName: 'node-a', podCIDR: '10.244.1.0/24' };
const none = { natChains: new Set<string>(), jumps: new Set<string>() };

function svc(name: string, spec: Record<string, unknown>, o: { namespace?: string; status?: Record<string, unknown>; labels?: Record<string, string> } = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: o.namespace ?? 'default', ...(o.labels ? { labels: o.labels } : {}) }, spec: { type: 'ClusterIP', sessionAffinity: 'None', ...spec }, ...(o.status ? { status: o.status } : {}) };
}

/** Endpoints: `ip@node` addresses, one subset. */
function eps(name: string, addrs: string[], ports: Array<{ name?: string; port: number; protocol?: string }>, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace },
    subsets: [{ addresses: addrs.map((a) => { const [ip, nodeName] = a.split('@'); return { ip, nodeName }; }), ports: ports.map((p) => ({ protocol: 'TCP', ...p })) }],
  };
}

const cases: Array<{ name: string; objects: Array<[KubeObject, KubeObject | undefined]> }> = [
  {
    // seed 004, ClusterIP: kubectl expose deployment hello-world --port=80 --target-port=8080, 2 replicas
    name: 'seed004-clusterip',
    objects: [[svc('hello-world', { clusterIP: '10.107.138.203', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] }), eps('hello-world', ['10.244.1.199@node-a', '10.244.2.190@node-b'], [{ port: 8080 }])]],
  },
  {
    // seed 004, NodePort: --target-port=8080 --type=NodePort
    name: 'seed004-nodeport',
    objects: [[svc('hello-world', { type: 'NodePort', clusterIP: '10.111.34.177', externalTrafficPolicy: 'Cluster', ports: [{ port: 8080, protocol: 'TCP', nodePort: 30583 }] }), eps('hello-world', ['10.244.2.192@node-b', '10.244.1.200@node-a'], [{ port: 8080 }])]],
  },
  {
    name: 'three-replicas-probabilities',
    objects: [[svc('web', { clusterIP: '10.96.5.5', ports: [{ name: 'http', port: 80 }] }), eps('web', ['10.244.2.3@node-b', '10.244.1.10@node-a', '10.244.1.9@node-a'], [{ name: 'http', port: 8080 }])]],
  },
  {
    name: 'clientip-affinity',
    objects: [[svc('sticky', { clusterIP: '10.96.7.7', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80 }] }), eps('sticky', ['10.244.1.5@node-a', '10.244.2.5@node-b'], [{ port: 80 }])]],
  },
  {
    name: 'external-traffic-policy-local',
    objects: [[svc('local', { type: 'NodePort', clusterIP: '10.96.8.8', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 31000 }] }), eps('local', ['10.244.1.7@node-a', '10.244.2.7@node-b'], [{ port: 80 }])]],
  },
  {
    name: 'external-local-no-local-endpoint',
    objects: [[svc('away', { type: 'NodePort', clusterIP: '10.96.8.9', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 31001 }] }), eps('away', ['10.244.2.8@node-b'], [{ port: 80 }])]],
  },
  {
    name: 'internal-traffic-policy-local',
    objects: [
      [svc('here', { clusterIP: '10.96.9.1', internalTrafficPolicy: 'Local', ports: [{ port: 80 }] }), eps('here', ['10.244.1.11@node-a', '10.244.2.11@node-b'], [{ port: 80 }])],
      [svc('elsewhere', { clusterIP: '10.96.9.2', internalTrafficPolicy: 'Local', ports: [{ port: 80 }] }), eps('elsewhere', ['10.244.2.12@node-b'], [{ port: 80 }])],
    ],
  },
  {
    name: 'loadbalancer-ingress-and-external-ips',
    objects: [[
      svc('lb', { type: 'LoadBalancer', clusterIP: '10.96.10.1', externalIPs: ['192.168.50.5'], ports: [{ name: 'http', port: 80, nodePort: 32080 }] }, { status: { loadBalancer: { ingress: [{ ip: '10.96.200.1' }] } } }),
      eps('lb', ['10.244.2.20@node-b'], [{ name: 'http', port: 8080 }]),
    ]],
  },
  {
    name: 'udp-and-tcp-named-ports',
    objects: [[svc('dns', { clusterIP: '10.96.0.53', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }, { namespace: 'infra' }),
      eps('dns', ['10.244.1.53@node-a'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }], 'infra')]],
  },
  {
    name: 'no-rules-for-these',
    objects: [
      [svc('empty', { clusterIP: '10.96.11.1', ports: [{ port: 80 }] }), undefined],
      [svc('other-proxy', { clusterIP: '10.96.11.2', ports: [{ port: 80 }] }, { labels: { 'service.kubernetes.io/service-proxy-name': 'elsewhere' } }), eps('other-proxy', ['10.244.1.4@node-a'], [{ port: 80 }])],
      [svc('sctp', { clusterIP: '10.96.11.3', ports: [{ port: 80, protocol: 'SCTP' }] }), eps('sctp', ['10.244.1.4@node-a'], [{ port: 80, protocol: 'SCTP' }])],
    ],
  },
];

for (const c of cases) {
  test(`render: ${c.name}`, () => {
    const ports = c.objects.flatMap(([s, e]) => renderService(entriesFor(s, e), ctx));
    const got = fullRestore(ports, none);
    const file = join(here, 'testdata', `${c.name}.rules`);
    if (process.env.MK_UPDATE_GOLDEN) writeFileSync(file, got);
    assert.equal(got, readFileSync(file, 'utf8'));
  });
}

test('render: seed 004 chain names, one KUBE-SEP per replica, probabilities as kube-proxy writes them', () => {
  const cases = [
    { svcIP: '10.107.138.203', port: 80, nodePort: undefined, eps: ['10.244.1.199', '10.244.2.190'], seps: ['KUBE-SEP-W2IFVPZJILTBGJON', 'KUBE-SEP-QWI4LEXVO5GRYADO'] },
    { svcIP: '10.111.34.177', port: 8080, nodePort: 30583, eps: ['10.244.1.200', '10.244.2.192'], seps: ['KUBE-SEP-KNPMKP4TJWLYHY4M', 'KUBE-SEP-ZYVBQARSCNBBR4HH'] },
  ];
  for (const c of cases) {
    const s = svc('hello-world', { type: c.nodePort ? 'NodePort' : 'ClusterIP', clusterIP: c.svcIP, ports: [{ port: c.port, ...(c.nodePort ? { nodePort: c.nodePort } : {}) }] });
    const [p] = renderService(entriesFor(s, eps('hello-world', c.eps.map((ip) => `${ip}@node-a`), [{ port: 8080 }])), ctx);
    const svcChain = p!.chains.find((x) => x.name === 'KUBE-SVC-DZ6LTOHRG6HQWHYE');
    assert.ok(svcChain, 'KUBE-SVC-DZ6LTOHRG6HQWHYE');
    assert.deepEqual(svcChain.rules.slice(1).map((r) => [/-j (\S+)$/.exec(r)?.[1], /--probability (\S+)/.exec(r)?.[1]]), [[c.seps[0], '0.5000000000'], [c.seps[1], undefined]]);
    assert.deepEqual(p!.dispatch.find((d) => d.chain === 'KUBE-SERVICES')?.args, `-m comment --comment "default/hello-world cluster IP" -m tcp -p tcp -d ${c.svcIP} --dport ${c.port} -j KUBE-SVC-DZ6LTOHRG6HQWHYE`);
    if (c.nodePort) assert.deepEqual(p!.dispatch.find((d) => d.chain === 'KUBE-NODEPORTS')?.args, `-m comment --comment default/hello-world -m tcp -p tcp --dport ${c.nodePort} -j KUBE-EXT-DZ6LTOHRG6HQWHYE`);
  }
});
