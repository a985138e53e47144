// Table tests of the pure endpoint logic: which pods become which addresses, ports resolved per
// pod, slice contents and conditions, mirroring, and the slice plan's reuse of slices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.ts';
import { endpointSubsets, rfc3339Nano, TriggerTimeTracker } from '../../src/controllers/endpoints-util.ts';
import { mirroredSlices, planSlices, serviceSlices } from '../../src/controllers/endpointslice-util.ts';

interface PodSpec { name: string; ip?: string; ready?: boolean; phase?: string; deleting?: boolean; labels?: Record<string, string>; ports?: { name?: string; containerPort: number; protocol?: string }[]; hostname?: string; subdomain?: string }

function pod(p: PodSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: 'default', uid: `uid-${p.name}`, labels: p.labels ?? { app: 'kubia' }, ...(p.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'mk', containers: [{ name: 'c', image: 'x', ports: p.ports ?? [] }], ...(p.hostname ? { hostname: p.hostname } : {}), ...(p.subdomain ? { subdomain: p.subdomain } : {}) },
    status: { phase: p.phase ?? 'Running', ...(p.ip ? { podIP: p.ip } : {}), conditions: [{ type: 'Ready', status: p.ready === false ? 'False' : 'True' }] },
  };
}

function svc(ports: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubia', namespace: 'default', uid: 'svc-uid', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { selector: { app: 'kubia' }, ports, clusterIP: '10.96.0.20', ...extra } };
}

const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });
const addr = (ip: string, name: string) => ({ ip, nodeName: 'mk', targetRef: ref(name) });
const http80 = [{ port: 80, targetPort: 8080, protocol: 'TCP' }];

const cases: { name: string; svc: KubeObject; pods: KubeObject[]; want: unknown }[] = [
  {
    name: 'ready pods under addresses sorted by IP string, unready under notReadyAddresses',
    svc: svc(http80),
    pods: [pod({ name: 'a', ip: '10.244.2.9' }), pod({ name: 'b', ip: '10.244.1.7' }), pod({ name: 'c', ip: '10.244.2.10' }), pod({ name: 'd', ip: '10.244.1.8', ready: false })],
    want: [{ addresses: [addr('10.244.1.7', 'b'), addr('10.244.2.10', 'c'), addr('10.244.2.9', 'a')], notReadyAddresses: [addr('10.244.1.8', 'd')], ports: [{ port: 8080, protocol: 'TCP' }] }],
  },
  {
    name: 'publishNotReadyAddresses puts unready pods under addresses',
    svc: svc(http80, { publishNotReadyAddresses: true }),
    pods: [pod({ name: 'a', ip: '10.244.1.2', ready: false }), pod({ name: 'b', ip: '10.244.1.3' })],
    want: [{ addresses: [addr('10.244.1.2', 'a'), addr('10.244.1.3', 'b')], ports: [{ port: 8080, protocol: 'TCP' }] }],
  },
  {
    name: 'no IP, terminating, Succeeded, Failed and unselected pods are not endpoints',
    svc: svc(http80),
    pods: [
      pod({ name: 'noip' }), pod({ name: 'term', ip: '10.244.1.2', deleting: true }), pod({ name: 'done', ip: '10.244.1.3', phase: 'Succeeded' }),
      pod({ name: 'failed', ip: '10.244.1.4', phase: 'Failed' }), pod({ name: 'other', ip: '10.244.1.5', labels: { app: 'other' } }), pod({ name: 'ok', ip: '10.244.1.6' }),
    ],
    want: [{ addresses: [addr('10.244.1.6', 'ok')], ports: [{ port: 8080, protocol: 'TCP' }] }],
  },
  {
    name: 'a named targetPort is resolved per pod; pods without it are skipped for that port',
    svc: svc([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }, { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]),
    pods: [
      pod({ name: 'a', ip: '10.244.1.2', ports: [{ name: 'http', containerPort: 8080 }, { name: 'https', containerPort: 8443 }] }),
      pod({ name: 'b', ip: '10.244.1.3', ports: [{ name: 'http', containerPort: 9090 }] }),
      pod({ name: 'c', ip: '10.244.1.4', ports: [{ name: 'http', containerPort: 8080, protocol: 'UDP' }] }),
    ],
    want: [
      { addresses: [addr('10.244.1.2', 'a')], ports: [{ name: 'https', port: 8443, protocol: 'TCP' }, { name: 'http', port: 8080, protocol: 'TCP' }] },
      { addresses: [addr('10.244.1.3', 'b')], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
    ],
  },
  {
    name: 'several ports and protocols share one subset, ordered by hash as Kubernetes',
    svc: svc([{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }, { name: 'sctp', port: 99, targetPort: 'sc', protocol: 'SCTP' }]),
    pods: [pod({ name: 'a', ip: '10.244.1.2', ports: [{ name: 'sc', containerPort: 9999, protocol: 'SCTP' }] })],
    want: [{ addresses: [addr('10.244.1.2', 'a')], ports: [{ name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'sctp', port: 9999, protocol: 'SCTP' }] }],
  },
  {
    name: 'hostname only when the pod subdomain is the service',
    svc: svc(http80),
    pods: [pod({ name: 'a', ip: '10.244.1.2', hostname: 'web-0', subdomain: 'kubia' }), pod({ name: 'b', ip: '10.244.1.3', hostname: 'web-1', subdomain: 'other' })],
    want: [{ addresses: [{ ip: '10.244.1.2', hostname: 'web-0', nodeName: 'mk', targetRef: ref('a') }, addr('10.244.1.3', 'b')], ports: [{ port: 8080, protocol: 'TCP' }] }],
  },
  { name: 'no pods: no subsets', svc: svc(http80), pods: [], want: [] },
];

for (const c of cases) {
  test(`endpointSubsets: ${c.name}`, () => assert.deepEqual(endpointSubsets(c.svc, c.pods), c.want));
}

test('serviceSlices: conditions, terminating kept, named ports per pod, placeholder when empty', () => {
  const s = svc([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  const pods = [
    pod({ name: 'a', ip: '10.244.1.2', ports: [{ name: 'http', containerPort: 8080 }] }),
    pod({ name: 'b', ip: '10.244.1.3', ready: false, ports: [{ name: 'http', containerPort: 8080 }] }),
    pod({ name: 'c', ip: '10.244.1.4', deleting: true, ports: [{ name: 'http', containerPort: 8080 }] }),
    pod({ name: 'd', ip: '10.244.1.5', ports: [{ name: 'http', containerPort: 9090 }] }),
  ];
  const ep = (ip: string, name: string, ready: boolean, serving: boolean, terminating: boolean) => ({ addresses: [ip], conditions: { ready, serving, terminating }, nodeName: 'mk', targetRef: ref(name) });
  assert.deepEqual(serviceSlices(s, pods), [
    { addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [ep('10.244.1.2', 'a', true, true, false), ep('10.244.1.3', 'b', false, false, false), ep('10.244.1.4', 'c', false, true, true)] },
    { addressType: 'IPv4', ports: [{ name: 'http', port: 9090, protocol: 'TCP' }], endpoints: [ep('10.244.1.5', 'd', true, true, false)] },
  ]);
  assert.deepEqual(serviceSlices(s, []), [{ addressType: 'IPv4', endpoints: [] }]);
  const many = Array.from({ length: 250 }, (_, i) => pod({ name: `p${i}`, ip: `10.244.${Math.floor(i / 200) + 1}.${(i % 200) + 1}`, ports: [{ name: 'http', containerPort: 8080 }] }));
  assert.deepEqual(serviceSlices(s, many).map((x) => x.endpoints.length), [100, 100, 50]);
});

test('mirroredSlices: user Endpoints become ready / not ready endpoints with port names', () => {
  const ep: KubeObject = {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-service', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '22.22.22.22' }, { ip: '11.11.11.11' }], notReadyAddresses: [{ ip: '33.33.33.33' }], ports: [{ port: 80, protocol: 'TCP' }] }],
  };
  assert.deepEqual(mirroredSlices(ep), [{
    addressType: 'IPv4', ports: [{ name: '', port: 80, protocol: 'TCP' }],
    endpoints: [{ addresses: ['11.11.11.11'], conditions: { ready: true } }, { addresses: ['22.22.22.22'], conditions: { ready: true } }, { addresses: ['33.33.33.33'], conditions: { ready: false } }],
  }]);
});

test('planSlices: unchanged slices are not written, same-port slices are reused, the rest created or removed', () => {
  const owner = { apiVersion: 'v1', kind: 'Service', name: 'kubia', uid: 'u', controller: true, blockOwnerDeletion: true };
  const t = { namespace: 'default', prefix: 'kubia-', labels: { 'kubernetes.io/service-name': 'kubia' }, owner };
  const content = { addressType: 'IPv4' as const, ports: [{ name: '', port: 8080, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.1.2'], conditions: { ready: true } }] };
  const existing: KubeObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubia-abcde', namespace: 'default', labels: t.labels, ownerReferences: [owner], resourceVersion: '5' }, ...content };
  let n = 0;
  const name = () => `kubia-new${n++}`;
  assert.deepEqual(planSlices([existing], [content], t, name, 0), { create: [], update: [], remove: [] });
  const changed = { ...content, endpoints: [{ addresses: ['10.244.1.3'], conditions: { ready: true } }] };
  const p = planSlices([existing], [changed], t, name, Date.parse('2024-01-01T00:00:05Z'));
  assert.equal(p.update.length, 1);
  assert.equal(p.update[0]!.metadata.name, 'kubia-abcde');
  assert.equal(p.update[0]!.metadata.resourceVersion, '5');
  assert.deepEqual(p.update[0]!.metadata.annotations, { 'endpoints.kubernetes.io/last-change-trigger-time': '2024-01-01T00:00:05Z' });
  const other = { ...content, ports: [{ name: '', port: 9090, protocol: 'TCP' }] };
  const q = planSlices([existing], [other], t, name, 0);
  assert.deepEqual([q.create.map((s) => s.metadata.name), q.update.length, q.remove.map((s) => s.metadata.name)], [['kubia-new0'], 0, ['kubia-abcde']]);
  assert.equal(q.create[0]!.metadata.generateName, 'kubia-');
});

test('TriggerTimeTracker: earliest change since the last sync; nothing new gives 0', () => {
  const tr = new TriggerTimeTracker();
  const s = svc(http80);
  const p = (name: string, t: string) => ({ ...pod({ name, ip: '10.244.1.2' }), status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }] } });
  assert.equal(tr.compute('k', s, [p('a', '2024-01-01T00:00:10Z')]), Date.parse('2024-01-01T00:00:00Z'));
  assert.equal(tr.compute('k', s, [p('a', '2024-01-01T00:00:10Z')]), 0);
  assert.equal(tr.compute('k', s, [p('a', '2024-01-01T00:00:20Z'), p('b', '2024-01-01T00:00:15Z')]), Date.parse('2024-01-01T00:00:15Z'));
  assert.equal(rfc3339Nano(Date.parse('2024-01-01T00:00:15.120Z')), '2024-01-01T00:00:15.12Z');
});
