import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveResource } from '../api/resources.ts';
import { FakeClient } from './fake-client.test-helper.ts';
import { describeContext } from './describe.ts';

const R = (n: string) => resolveResource(n)!;

test('describeContext fetches what each describer shows', async () => {
  const c = new FakeClient();
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubia', namespace: 'default', uid: 'u1' }, spec: {} };
  c.objects.set('endpoints/default/kubia', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubia', namespace: 'default' } });
  c.objects.set('events/default/e1', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'default' }, reason: 'Created' });
  const ctx = await describeContext(c.asClient(), R('svc'), svc);
  assert.equal(ctx.endpoints?.metadata.name, 'kubia');
  assert.deepEqual(ctx.endpointSlices, []);
  assert.equal(ctx.events?.[0]?.kind, 'Event');
  assert.deepEqual(c.calls, ['LIST events', 'GET endpoints kubia', 'LIST endpointslices kubernetes.io/service-name=kubia']);

  const d = new FakeClient();
  const owned = (name: string, uid: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid }] } });
  d.objects.set('replicasets/default/web-1', owned('web-1', 'dep'));
  d.objects.set('replicasets/default/other', owned('other', 'someone-else'));
  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'dep' }, spec: { selector: { matchLabels: { app: 'web' } } } };
  const dctx = await describeContext(d.asClient(), R('deploy'), deploy, false);
  assert.deepEqual(dctx.replicaSets?.map((r) => r.metadata.name), ['web-1']);
  assert.equal(dctx.events, undefined);
  assert.deepEqual(d.calls, ['LIST replicasets app=web']);
});

test('describeContext: the pods a StatefulSet or DaemonSet controls, a Node\'s Lease', async () => {
  for (const kind of ['sts', 'ds']) {
    const c = new FakeClient();
    const pod = (name: string, uid: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'X', name: 'web', uid, controller: true }] } });
    c.objects.set('pods/default/web-0', pod('web-0', 'set'));
    c.objects.set('pods/default/stray', pod('stray', 'other'));
    const owner = { apiVersion: 'apps/v1', kind: R(kind).kind, metadata: { name: 'web', namespace: 'default', uid: 'set' }, spec: { selector: { matchLabels: { app: 'web' } } } };
    const ctx = await describeContext(c.asClient(), R(kind), owner, false);
    assert.deepEqual(ctx.pods?.map((p) => p.metadata.name), ['web-0'], kind);
    assert.deepEqual(c.calls, ['LIST pods app=web'], kind);
  }
  const n = new FakeClient();
  n.objects.set('leases/kube-node-lease/mk', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'mk', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'mk' } });
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'mk', uid: 'n' } };
  assert.equal((await describeContext(n.asClient(), R('node'), node, false)).lease?.spec.holderIdentity, 'mk');
  assert.equal((await describeContext(new FakeClient().asClient(), R('node'), { ...node, metadata: { name: 'gone', uid: 'g' } }, false)).lease, null);
});
