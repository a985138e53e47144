// The proxy table from Service and Endpoints objects: what each kind of Service is reachable
// at, which endpoints, affinity and policies, and which sockets the table asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProxyTable, entriesFor, listenKey, type ListenSpec } from '../../src/agent/proxy/table.ts';
import { endpoints, service } from './fixtures.ts';

function recorder() {
  const events: string[] = [];
  return { events, sink: { open: (l: ListenSpec) => events.push(`open ${listenKey(l)}`), close: (l: ListenSpec) => events.push(`close ${listenKey(l)}`) } };
}

test('entries: one per Service port, by kind', () => {
  const cases: Array<{ name: string; svc: ReturnType<typeof service>; want: Array<Record<string, unknown>> }> = [
    {
      name: 'ClusterIP, two named ports',
      svc: service('kubia', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, protocol: 'TCP' }] }),
      want: [{ id: 'default/kubia:http', port: 80, clusterIP: '10.96.0.20', nodePort: undefined }, { id: 'default/kubia:https', port: 443 }],
    },
    {
      name: 'NodePort',
      svc: service('np', { type: 'NodePort', clusterIP: '10.96.0.21', ports: [{ port: 80, nodePort: 30123 }] }),
      want: [{ id: 'default/np:', nodePort: 30123, externalIPs: [] }],
    },
    {
      name: 'LoadBalancer: nodePort plus ingress IP plus externalIPs',
      svc: service('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.22', externalIPs: ['10.96.200.1'], ports: [{ port: 8080, nodePort: 30144 }] }, { loadBalancer: { ingress: [{ ip: '10.96.200.2' }, { hostname: 'x.example' }] } }),
      want: [{ nodePort: 30144, externalIPs: ['10.96.200.1', '10.96.200.2'] }],
    },
    {
      name: 'ClusterIP ignores a stray nodePort',
      svc: service('c', { clusterIP: '10.96.0.23', ports: [{ port: 80, nodePort: 30001 }] }),
      want: [{ nodePort: undefined }],
    },
    { name: 'headless', svc: service('h', { clusterIP: 'None', ports: [{ port: 80 }] }), want: [] },
    { name: 'ExternalName', svc: service('e', { type: 'ExternalName', externalName: 'db.example.com' }), want: [] },
    {
      name: 'affinity and policies',
      svc: service('a', { clusterIP: '10.96.0.24', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local', ports: [{ port: 80, protocol: 'UDP' }] }),
      want: [{ sessionAffinity: 'ClientIP', affinityTimeoutSeconds: 60, externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local', protocol: 'UDP' }],
    },
    {
      name: 'ClientIP without config: 10800 s',
      svc: service('b', { clusterIP: '10.96.0.25', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }),
      want: [{ affinityTimeoutSeconds: 10800, externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' }],
    },
  ];
  for (const c of cases) {
    const got = entriesFor(c.svc, undefined);
    assert.equal(got.length, c.want.length, c.name);
    c.want.forEach((w, i) => {
      for (const [k, v] of Object.entries(w)) assert.deepEqual((got[i] as any)[k], v, `${c.name}: ${k}`);
    });
  }
});

test('endpoints: matched by port name and protocol, ready addresses only, node names kept', () => {
  const svc = service('kubia', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] });
  const ep = {
    ...endpoints('kubia', [], []),
    subsets: [
      { addresses: [{ ip: '10.244.1.2', nodeName: 'mk' }, { ip: '10.244.2.2', nodeName: 'mk-m02' }], notReadyAddresses: [{ ip: '10.244.2.9' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }] },
      { addresses: [{ ip: '10.244.1.3' }], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
    ],
  };
  const [http, dns] = entriesFor(svc, ep);
  assert.deepEqual(http!.endpoints, [{ ip: '10.244.1.2', port: 8080, nodeName: 'mk' }, { ip: '10.244.2.2', port: 8080, nodeName: 'mk-m02' }, { ip: '10.244.1.3', port: 9090 }]);
  assert.deepEqual(dns!.endpoints.map((b) => `${b.ip}:${b.port}`), ['10.244.1.2:5353', '10.244.2.2:5353']);
});

test('lookup: by Service IP, by external IP, by nodePort on any address', () => {
  const t = new ProxyTable();
  t.setService(service('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.22', externalIPs: ['10.96.200.1'], ports: [{ port: 80, nodePort: 30144 }] }));
  t.setEndpoints(endpoints('lb', ['10.244.1.2'], [{ port: 8080 }]));
  const cases: Array<[string, number, string | undefined, boolean?]> = [
    ['10.96.0.22', 80, 'default/lb:', false],
    ['10.96.200.1', 80, 'default/lb:', true],
    ['10.244.0.2', 30144, 'default/lb:', true],
    ['10.96.0.22', 30144, 'default/lb:', true],
    ['10.96.0.23', 80, undefined],
    ['10.244.0.2', 80, undefined],
  ];
  for (const [ip, port, id, external] of cases) {
    const r = t.lookup('TCP', ip, port);
    assert.equal(r?.entry.id, id, `${ip}:${port}`);
    if (id) assert.equal(r!.external, external, `${ip}:${port} external`);
  }
  assert.equal(t.lookup('UDP', '10.96.0.22', 80), undefined);
  assert.deepEqual(t.lookup('TCP', '10.96.0.22', 80)!.entry.endpoints, [{ ip: '10.244.1.2', port: 8080 }]);
});

test('sockets: TCP one per port (refcounted across Services), UDP one per address, closed when unused', () => {
  const r = recorder();
  const t = new ProxyTable({ sink: r.sink });
  t.setService(service('a', { clusterIP: '10.96.0.2', ports: [{ port: 80 }] }));
  t.setService(service('b', { clusterIP: '10.96.0.3', ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] }));
  t.setService(service('c', { type: 'NodePort', clusterIP: '10.96.0.4', ports: [{ port: 8080, nodePort: 30080, protocol: 'UDP' }] }));
  assert.deepEqual(r.events, ['open TCP/0.0.0.0:80', 'open UDP/10.96.0.3:53', 'open UDP/10.96.0.4:8080', 'open UDP/0.0.0.0:30080']);
  r.events.length = 0;
  t.deleteService(service('a', {}));
  assert.deepEqual(r.events, [], 'port 80 is still used by b');
  t.setService(service('b', { clusterIP: '10.96.0.3', ports: [{ port: 81 }] }));
  assert.deepEqual(r.events, ['open TCP/0.0.0.0:81', 'close TCP/0.0.0.0:80', 'close UDP/10.96.0.3:53']);
  r.events.length = 0;
  // an update that keeps the port closes nothing
  t.setEndpoints(endpoints('b', ['10.244.1.5'], [{ port: 9000 }]));
  t.setService(service('b', { clusterIP: '10.96.0.3', ports: [{ port: 81 }], sessionAffinity: 'ClientIP' }));
  assert.deepEqual(r.events, []);
  assert.deepEqual(t.listens().map(listenKey).sort(), ['TCP/0.0.0.0:81', 'UDP/0.0.0.0:30080', 'UDP/10.96.0.4:8080']);
});

test('skipped IPs (the in-process DNS) are neither routed nor bound', () => {
  const r = recorder();
  const t = new ProxyTable({ sink: r.sink, skipIPs: ['10.96.0.10'] });
  t.setService(service('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }] }));
  assert.deepEqual(r.events, []);
  assert.equal(t.lookup('TCP', '10.96.0.10', 53), undefined);
  assert.equal(t.list().length, 0);
});

test('removing a Service forgets its state; Endpoints before their Service are kept', () => {
  const t = new ProxyTable();
  const removed: string[] = [];
  t.onRemove = (id) => removed.push(id);
  t.setEndpoints(endpoints('x', ['10.244.1.7'], [{ name: 'web', port: 80 }]));
  t.setService(service('x', { clusterIP: '10.96.0.9', ports: [{ name: 'web', port: 80 }] }));
  assert.deepEqual(t.lookup('TCP', '10.96.0.9', 80)!.entry.endpoints, [{ ip: '10.244.1.7', port: 80 }]);
  t.deleteEndpoints('default/x');
  assert.deepEqual(t.lookup('TCP', '10.96.0.9', 80)!.entry.endpoints, []);
  t.deleteService('default/x');
  assert.equal(t.lookup('TCP', '10.96.0.9', 80), undefined);
  assert.deepEqual(removed, ['default/x:web']);
  assert.equal(t.size, 0);
});

test('TCP ports shared with other servers on the node are bound per Service IP', () => {
  const r = recorder();
  const t = new ProxyTable({ sink: r.sink, perAddressTcpPorts: [443] });
  t.setService(service('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] }));
  t.setService(service('web', { type: 'NodePort', clusterIP: '10.96.0.7', externalIPs: ['10.96.200.7'], ports: [{ port: 443, nodePort: 30443 }, { name: 'x', port: 8443 }] }));
  assert.deepEqual(r.events, ['open TCP/10.96.0.1:443', 'open TCP/10.96.0.7:443', 'open TCP/10.96.200.7:443', 'open TCP/0.0.0.0:30443', 'open TCP/0.0.0.0:8443']);
  assert.equal(t.lookup('TCP', '10.96.0.7', 443)?.entry.id, 'default/web:');
});
