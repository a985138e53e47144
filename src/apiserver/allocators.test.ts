import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { ServiceAllocator } from './allocators.ts';

function svc(name: string, spec: Record<string, unknown> = {}, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 80 }], ...spec } };
}

const nodePort = (ports: number[] = [80]) => ({ type: 'NodePort', ports: ports.map((port) => ({ port })) });
const inServiceRange = (ip: string) => ip.startsWith('10.') && Number(ip.split('.')[1]) >= 96 && Number(ip.split('.')[1]) <= 111;

/** The message kubectl prints for a failed assign, or undefined when it succeeded. */
function attempt(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return `${e.code} ${e.message}`;
    throw e;
  }
  return undefined;
}

test('create: what each Service gets', () => {
  const cases: { name: string; spec: Record<string, unknown>; check: (spec: any) => void }[] = [
    {
      name: 'ClusterIP without an IP gets one from the range, never a reserved one',
      spec: {},
      check: (s) => {
        assert.ok(inServiceRange(s.clusterIP), s.clusterIP);
        assert.ok(!['10.96.0.0', '10.96.0.1', '10.96.0.10', '10.111.255.255'].includes(s.clusterIP));
        assert.deepEqual(s.clusterIPs, [s.clusterIP]);
        assert.equal(s.ports[0].nodePort, undefined);
      },
    },
    { name: 'explicit free IP is honoured', spec: { clusterIP: '10.96.0.5' }, check: (s) => assert.deepEqual([s.clusterIP, s.clusterIPs], ['10.96.0.5', ['10.96.0.5']]) },
    { name: 'a reserved IP can be asked for', spec: { clusterIP: '10.96.0.10' }, check: (s) => assert.equal(s.clusterIP, '10.96.0.10') },
    { name: 'clusterIPs alone is honoured', spec: { clusterIPs: ['10.96.0.6'] }, check: (s) => assert.equal(s.clusterIP, '10.96.0.6') },
    { name: 'headless', spec: { clusterIP: 'None' }, check: (s) => assert.deepEqual([s.clusterIP, s.clusterIPs], ['None', ['None']]) },
    { name: 'ExternalName gets no IP', spec: { type: 'ExternalName', externalName: 'example.com' }, check: (s) => assert.deepEqual([s.clusterIP, s.clusterIPs], [undefined, undefined]) },
    {
      name: 'NodePort: every port gets a nodePort in range',
      spec: nodePort([80, 443]),
      check: (s) => {
        const ns = s.ports.map((p: any) => p.nodePort);
        assert.ok(ns.every((n: number) => n >= 30000 && n <= 32767), String(ns));
        assert.notEqual(ns[0], ns[1]);
      },
    },
    { name: 'explicit free nodePort is honoured', spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30123 }] }, check: (s) => assert.equal(s.ports[0].nodePort, 30123) },
    {
      name: 'LoadBalancer with externalTrafficPolicy Local gets a healthCheckNodePort',
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] },
      check: (s) => {
        assert.ok(s.healthCheckNodePort >= 30000 && s.healthCheckNodePort <= 32767);
        assert.notEqual(s.healthCheckNodePort, s.ports[0].nodePort);
      },
    },
    { name: 'LoadBalancer with allocateLoadBalancerNodePorts false gets none', spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }, check: (s) => assert.equal(s.ports[0].nodePort, undefined) },
  ];
  for (const c of cases) {
    const a = new ServiceAllocator();
    const s = svc('web', c.spec);
    assert.equal(attempt(() => a.assign(s)), undefined, c.name);
    c.check(s.spec);
  }
});

test('create: refusals with Kubernetes wording', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string; opts?: ConstructorParameters<typeof ServiceAllocator>[0] }[] = [
    {
      name: 'IP taken, holder named',
      spec: { clusterIP: '10.96.0.5' },
      want: '422 Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.5"]: failed to allocate IP 10.96.0.5: provided IP is already allocated (by service default/kubia)',
    },
    {
      name: 'IP out of range',
      spec: { clusterIP: '10.1.2.3' },
      want: '422 Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.1.2.3"]: failed to allocate IP 10.1.2.3: the provided IP (10.1.2.3) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    },
    {
      name: 'not an IP',
      spec: { clusterIP: '10.96.0' },
      want: '422 Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    },
    {
      name: 'nodePort taken, holder named',
      spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30123 }] },
      want: '422 Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30123: provided port is already allocated (by service default/kubia)',
    },
    {
      name: 'nodePort out of range',
      spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81, nodePort: 8080 }] },
      want: '422 Service "web" is invalid: spec.ports[1].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    },
  ];
  for (const c of cases) {
    const a = new ServiceAllocator(c.opts);
    a.assign(svc('kubia', { clusterIP: '10.96.0.5', type: 'NodePort', ports: [{ port: 80, nodePort: 30123 }] }));
    assert.equal(attempt(() => a.assign(svc('web', c.spec))), c.want, c.name);
  }
});

test('exhaustion: tiny ranges fill up with Kubernetes "range is full"', () => {
  // 10.96.0.0/29: .1-.6 usable; .1 reserved by default -> 5 automatic IPs.
  const a = new ServiceAllocator({ serviceCIDR: '10.96.0.0/29', nodePortRange: [30000, 30002] });
  const got = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const s = svc(`s${i}`);
    a.assign(s);
    got.add(s.spec.clusterIP);
  }
  assert.deepEqual([...got].sort(), ['10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5', '10.96.0.6']);
  assert.equal(attempt(() => a.assign(svc('more'))), '500 Internal error occurred: failed to allocate a serviceIP: range is full');
  assert.equal(attempt(() => a.assign(svc('reserved', { clusterIP: '10.96.0.1' }))), undefined, 'a reserved IP is still there when asked for');

  const b = new ServiceAllocator({ serviceCIDR: '10.96.0.0/29', nodePortRange: [30000, 30002] });
  b.assign(svc('np', nodePort([80, 81, 82])));
  assert.equal(attempt(() => b.assign(svc('np2', nodePort()))), '500 Internal error occurred: failed to allocate a nodePort: range is full');
});

test('a failed assign leaves no trace', () => {
  const a = new ServiceAllocator({ serviceCIDR: '10.96.0.0/29', nodePortRange: [30000, 30002] });
  a.assign(svc('holder', { type: 'NodePort', ports: [{ port: 80, nodePort: 30002 }] }));
  // Takes an IP and nodePort 30000 or 30001 first, then fails on 30002.
  const bad = svc('bad', { type: 'NodePort', ports: [{ port: 80 }, { port: 81, nodePort: 30002 }] });
  assert.match(attempt(() => a.assign(bad)) ?? '', /provided port is already allocated \(by service default\/holder\)/);
  // Everything bad took is free again: two more nodePorts and 5 automatic IPs (one went to holder).
  assert.equal(attempt(() => a.assign(svc('ok', nodePort([80, 81])))), undefined);
  for (let i = 0; i < 3; i++) assert.equal(attempt(() => a.assign(svc(`ip${i}`))), undefined);
  assert.match(attempt(() => a.assign(svc('full'))) ?? '', /range is full/);
});

test('update: keeps IP and nodePorts, refuses an IP change, releases on type change', () => {
  const a = new ServiceAllocator({ nodePortRange: [30000, 30001] });
  const v1 = svc('web', nodePort([80]));
  a.assign(v1);
  const ip = v1.spec.clusterIP;
  const np = v1.spec.ports[0].nodePort;

  // PUT without clusterIP / nodePort: both kept.
  const v2 = svc('web', nodePort([80]));
  a.assign(v2, v1);
  assert.deepEqual([v2.spec.clusterIP, v2.spec.clusterIPs, v2.spec.ports[0].nodePort], [ip, [ip], np]);

  // Changing the IP is refused.
  const v3 = svc('web', { ...nodePort([80]), clusterIP: '10.96.0.99' });
  assert.equal(attempt(() => a.assign(v3, v2)), '422 Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.99"]: may not change once set');

  // NodePort -> ClusterIP drops and releases the nodePort; the other one stays free for others.
  const v4 = svc('web', { type: 'ClusterIP', clusterIP: ip, ports: [{ port: 80, nodePort: np }] });
  a.assign(v4, v2);
  assert.equal(v4.spec.ports[0].nodePort, undefined);
  assert.equal(v4.spec.clusterIP, ip);
  const other = svc('other', { type: 'NodePort', ports: [{ port: 80, nodePort: np }, { port: 81 }] });
  assert.equal(attempt(() => a.assign(other)), undefined, 'both nodePorts are free again');

  // To ExternalName releases the IP.
  const v5 = svc('web', { type: 'ExternalName', externalName: 'example.com', clusterIP: ip });
  a.assign(v5, v4);
  assert.equal(v5.spec.clusterIP, undefined);
  assert.equal(attempt(() => a.assign(svc('takes-ip', { clusterIP: ip }))), undefined);
});

test('load() then assign avoids what is loaded; release() frees it', () => {
  const a = new ServiceAllocator({ serviceCIDR: '10.96.0.0/29', nodePortRange: [30000, 30001] });
  const stored = [
    svc('kubernetes', { clusterIP: '10.96.0.2' }),
    svc('a', { clusterIP: '10.96.0.3', type: 'NodePort', ports: [{ port: 80, nodePort: 30000 }] }),
    svc('b', { clusterIP: '10.96.0.4' }, 'kube-system'),
  ];
  a.load(stored);
  assert.equal(
    attempt(() => a.assign(svc('x', { clusterIP: '10.96.0.4' }))),
    '422 Service "x" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.4"]: failed to allocate IP 10.96.0.4: provided IP is already allocated (by service kube-system/b)',
  );
  const ips = new Set<string>();
  for (const n of ['p', 'q']) {
    const s = svc(n);
    a.assign(s);
    ips.add(s.spec.clusterIP);
  }
  assert.deepEqual([...ips].sort(), ['10.96.0.5', '10.96.0.6']);
  const np = svc('np', { ...nodePort(), clusterIP: '10.96.0.1' }); // the automatic IPs are all taken
  a.assign(np);
  assert.equal(np.spec.ports[0].nodePort, 30001);
  a.release(stored[1]);
  const np2 = svc('np2', nodePort());
  a.assign(np2);
  assert.deepEqual([np2.spec.clusterIP, np2.spec.ports[0].nodePort], ['10.96.0.3', 30000]);
});

test('release() of the object just assigned undoes that assign only (store write failed)', () => {
  const a = new ServiceAllocator({ nodePortRange: [30000, 30001] });
  const v1 = svc('web', nodePort([80]));
  a.assign(v1);
  const v2 = svc('web', { type: 'ClusterIP', ports: [{ port: 80 }] });
  a.assign(v2, v1); // releases v1's nodePort
  a.release(v2); // the update was not stored: v1 is still what is stored, and holds its nodePort again
  assert.match(attempt(() => a.assign(svc('x', { type: 'NodePort', ports: [{ port: 80, nodePort: v1.spec.ports[0].nodePort }] }))) ?? '', /already allocated \(by service default\/web\)/);
  assert.match(attempt(() => a.assign(svc('y', { clusterIP: v1.spec.clusterIP }))) ?? '', /already allocated \(by service default\/web\)/);
  const c = svc('created');
  a.assign(c);
  a.release(c); // create not stored: its IP is free again
  assert.equal(attempt(() => a.assign(svc('z', { clusterIP: c.spec.clusterIP }))), undefined);
});
