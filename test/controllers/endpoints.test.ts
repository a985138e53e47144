// The endpoint controllers against the in-process API server: Endpoints and EndpointSlices
// follow pods (whose status the test writes, as no kubelet runs here), readiness flips, no
// churn, selector-less Services untouched but mirrored, Service deletion cleans up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.ts';
import type { KubeClient } from '../../src/client/index.ts';
import { rfc3339 } from '../../src/controllers/clock.ts';
import { ER } from '../../src/controllers/endpoints-resources.ts';
import { harness, until, type Harness } from './harness.ts';

interface PodOpts { ip?: string; ready?: boolean; labels?: Record<string, string>; ports?: { name?: string; containerPort: number; protocol?: string }[] }

async function makePod(h: Harness, name: string, o: PodOpts = {}): Promise<KubeObject> {
  const pod = await h.client.create(ER.pods, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: o.labels ?? { app: 'kubia' } },
    spec: { nodeName: 'mk', containers: [{ name: 'kubia', image: 'luksa/kubia', ports: o.ports ?? [] }] },
  });
  return o.ip ? setStatus(h, pod, o.ip, o.ready ?? true) : pod;
}

/** What the kubelet would write: Running, an IP, Ready True/False. */
async function setStatus(h: Harness, pod: KubeObject, ip: string, ready: boolean): Promise<KubeObject> {
  const cur = await h.client.get(ER.pods, 'default', pod.metadata.name!);
  const t = rfc3339(h.clock.now());
  const status = { ...cur.status, phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: t }] };
  return h.client.update(ER.pods, 'default', cur.metadata.name!, { ...cur, status }, { subresource: 'status' });
}

function service(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', labels: { tier: 'web' } }, spec };
}

const getEp = (c: KubeClient, name: string) => c.get(ER.endpoints, 'default', name).catch(() => undefined);
const slicesOf = async (c: KubeClient, svc: string) => (await c.list(ER.endpointslices, { namespace: 'default', labelSelector: `kubernetes.io/service-name=${svc}` })).items;
const ips = (addrs: { ip: string }[] | undefined) => (addrs ?? []).map((a) => a.ip);

test('Endpoints and EndpointSlices follow pods, readiness and named ports; no churn; deleted with the Service', async () => {
  const h = await harness();
  try {
    const svc = await h.client.create(ER.services, 'default', service('kubia', { selector: { app: 'kubia' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, targetPort: 8443 }] }));
    const a = await makePod(h, 'kubia-a', { ip: '10.244.1.2', ports: [{ name: 'http', containerPort: 8080 }] });
    await makePod(h, 'kubia-b', { ip: '10.244.1.3', ports: [{ name: 'http', containerPort: 9090 }] });
    await makePod(h, 'kubia-c', { ip: '10.244.1.4', ready: false, ports: [{ name: 'http', containerPort: 8080 }] });
    await makePod(h, 'kubia-d'); // no IP yet
    await makePod(h, 'other', { ip: '10.244.1.9', labels: { app: 'other' } });
    await h.ctl.whenIdle();
    const ep = (await getEp(h.client, 'kubia'))!;
    assert.deepEqual(ep.metadata.labels, { tier: 'web' });
    assert.match(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(ep.subsets, [
      {
        addresses: [{ ip: '10.244.1.2', nodeName: 'mk', targetRef: { kind: 'Pod', namespace: 'default', name: 'kubia-a', uid: a.metadata.uid } }],
        notReadyAddresses: [{ ip: '10.244.1.4', nodeName: 'mk', targetRef: { kind: 'Pod', namespace: 'default', name: 'kubia-c', uid: (await h.client.get(ER.pods, 'default', 'kubia-c')).metadata.uid } }],
        ports: [{ name: 'https', port: 8443, protocol: 'TCP' }, { name: 'http', port: 8080, protocol: 'TCP' }],
      },
      { addresses: [{ ip: '10.244.1.3', nodeName: 'mk', targetRef: { kind: 'Pod', namespace: 'default', name: 'kubia-b', uid: (await h.client.get(ER.pods, 'default', 'kubia-b')).metadata.uid } }], ports: [{ name: 'https', port: 8443, protocol: 'TCP' }, { name: 'http', port: 9090, protocol: 'TCP' }] },
    ]);
    const slices = await slicesOf(h.client, 'kubia');
    assert.equal(slices.length, 2);
    for (const s of slices) {
      assert.match(s.metadata.name!, /^kubia-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(s.metadata.generateName, 'kubia-');
      assert.equal(s.addressType, 'IPv4');
      assert.deepEqual(s.metadata.labels, { tier: 'web', 'kubernetes.io/service-name': 'kubia', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
      assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'kubia', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const s8080 = slices.find((s) => s.ports[0].port === 8080)!;
    assert.deepEqual(s8080.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }]);
    assert.deepEqual(s8080.endpoints.map((e: { addresses: string[]; conditions: unknown }) => [e.addresses[0], e.conditions]), [
      ['10.244.1.2', { ready: true, serving: true, terminating: false }],
      ['10.244.1.4', { ready: false, serving: false, terminating: false }],
    ]);

    // Nothing changed: a reconcile writes nothing.
    const rvEp = ep.metadata.resourceVersion;
    const rvSlices = slices.map((s) => s.metadata.resourceVersion).sort();
    await h.ctl.endpoints.reconcile('default/kubia');
    await h.ctl.endpointSlices.reconcile('default/kubia');
    await h.client.update(ER.pods, 'default', 'other', { ...(await h.client.get(ER.pods, 'default', 'other')), metadata: { ...(await h.client.get(ER.pods, 'default', 'other')).metadata, annotations: { x: 'y' } } });
    await h.ctl.whenIdle();
    assert.equal((await getEp(h.client, 'kubia'))!.metadata.resourceVersion, rvEp);
    assert.deepEqual((await slicesOf(h.client, 'kubia')).map((s) => s.metadata.resourceVersion).sort(), rvSlices);

    // Readiness flips: a goes unready and c ready, reflected in both once the queues drain.
    h.clock.advance(5000);
    await setStatus(h, a, '10.244.1.2', false);
    await setStatus(h, await h.client.get(ER.pods, 'default', 'kubia-c'), '10.244.1.4', true);
    await h.ctl.whenIdle();
    const ep2 = (await getEp(h.client, 'kubia'))!;
    assert.deepEqual([ips(ep2.subsets[0].addresses), ips(ep2.subsets[0].notReadyAddresses)], [['10.244.1.4'], ['10.244.1.2']]);
    assert.equal(ep2.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], rfc3339(h.clock.now()));
    const s2 = (await slicesOf(h.client, 'kubia')).find((s) => s.ports[0].port === 8080)!;
    assert.deepEqual(s2.endpoints.map((e: { addresses: string[]; conditions: { ready: boolean } }) => [e.addresses[0], e.conditions.ready]), [['10.244.1.2', false], ['10.244.1.4', true]]);
    assert.equal(s2.metadata.name, s8080.metadata.name, 'the slice is updated in place');

    // A pod deleted (no kubelet: removed at once with grace 0) leaves both.
    await h.client.delete(ER.pods, 'default', 'kubia-b', { gracePeriodSeconds: 0 });
    await h.ctl.whenIdle();
    assert.equal((await getEp(h.client, 'kubia'))!.subsets.length, 1);
    assert.equal((await slicesOf(h.client, 'kubia')).length, 1);

    await h.client.delete(ER.services, 'default', 'kubia');
    await until('endpoints and slices gone', async () => !(await getEp(h.client, 'kubia')) && (await slicesOf(h.client, 'kubia')).length === 0);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('publishNotReadyAddresses, empty Services and terminating pods', async () => {
  const h = await harness();
  try {
    await h.client.create(ER.services, 'default', service('pub', { selector: { app: 'kubia' }, publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] }));
    await h.client.create(ER.services, 'default', service('empty', { selector: { app: 'nobody' }, ports: [{ port: 80 }] }));
    await makePod(h, 'p1', { ip: '10.244.1.2', ready: false });
    const p2 = await makePod(h, 'p2', { ip: '10.244.1.3' });
    await h.ctl.whenIdle();
    assert.deepEqual(ips((await getEp(h.client, 'pub'))!.subsets[0].addresses), ['10.244.1.2', '10.244.1.3']);
    const empty = (await getEp(h.client, 'empty'))!;
    assert.deepEqual(empty.subsets ?? [], []);
    const placeholder = await slicesOf(h.client, 'empty');
    assert.deepEqual(placeholder.map((s) => [s.addressType, s.endpoints ?? [], s.ports]), [['IPv4', [], undefined]]);

    // Graceful delete (the pod has a node): terminating, so out of Endpoints, kept in the slice as terminating.
    await h.client.update(ER.services, 'default', 'pub', { ...(await h.client.get(ER.services, 'default', 'pub')), spec: { ...(await h.client.get(ER.services, 'default', 'pub')).spec, publishNotReadyAddresses: false } });
    await h.client.delete(ER.pods, 'default', p2.metadata.name!);
    await h.ctl.whenIdle();
    const ep = (await getEp(h.client, 'pub'))!;
    assert.deepEqual([ips(ep.subsets[0].addresses), ips(ep.subsets[0].notReadyAddresses)], [[], ['10.244.1.2']]);
    const [slice] = await slicesOf(h.client, 'pub');
    assert.deepEqual(slice!.endpoints.map((e: { addresses: string[]; conditions: unknown }) => [e.addresses[0], e.conditions]), [
      ['10.244.1.2', { ready: false, serving: false, terminating: false }],
      ['10.244.1.3', { ready: false, serving: true, terminating: true }],
    ]);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('a Service without a selector keeps the user Endpoints, mirrored into a slice', async () => {
  const h = await harness();
  try {
    // Endpoints written before their Service exists are kept (and not mirrored: no Service yet).
    await h.client.create(ER.endpoints, 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'early', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80 }] }] });
    await h.client.update(ER.endpoints, 'default', 'early', { ...(await getEp(h.client, 'early'))!, metadata: { ...(await getEp(h.client, 'early'))!.metadata, annotations: { edited: 'yes' } } });
    await h.client.create(ER.services, 'default', service('external-service', { ports: [{ port: 80 }] }));
    const user = await h.client.create(ER.endpoints, 'default', {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-service', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '11.11.11.11' }, { ip: '22.22.22.22' }], ports: [{ port: 80 }] }],
    });
    await makePod(h, 'p1', { ip: '10.244.1.2' });
    await h.ctl.whenIdle();
    const ep = (await getEp(h.client, 'external-service'))!;
    assert.equal(ep.metadata.resourceVersion, user.metadata.resourceVersion, 'the user Endpoints are not rewritten');
    const slices = await slicesOf(h.client, 'external-service');
    assert.equal(slices.length, 1);
    assert.deepEqual(slices[0]!.metadata.labels, { 'kubernetes.io/service-name': 'external-service', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    assert.deepEqual(slices[0]!.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Endpoints', name: 'external-service', uid: user.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(slices[0]!.endpoints, [{ addresses: ['11.11.11.11'], conditions: { ready: true } }, { addresses: ['22.22.22.22'], conditions: { ready: true } }]);
    assert.deepEqual(slices[0]!.ports, [{ name: '', port: 80, protocol: 'TCP' }]);

    // The user edits the Endpoints: the mirror follows.
    await h.client.update(ER.endpoints, 'default', 'external-service', { ...ep, subsets: [{ addresses: [{ ip: '11.11.11.11' }], ports: [{ port: 80 }] }] });
    await h.ctl.whenIdle();
    assert.deepEqual((await slicesOf(h.client, 'external-service'))[0]!.endpoints, [{ addresses: ['11.11.11.11'], conditions: { ready: true } }]);

    // The API server's own `kubernetes` Endpoints carry skip-mirror: only its bootstrap slice exists.
    assert.deepEqual((await slicesOf(h.client, 'kubernetes')).map((s) => s.metadata.name), ['kubernetes']);

    // The Service deleted: its Endpoints go (as Kubernetes), and with them the mirror.
    await h.client.delete(ER.services, 'default', 'external-service');
    await until('user endpoints and mirror gone', async () => !(await getEp(h.client, 'external-service')) && (await slicesOf(h.client, 'external-service')).length === 0);
    assert.ok(await getEp(h.client, 'early'));
    assert.deepEqual(await slicesOf(h.client, 'early'), []);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});
