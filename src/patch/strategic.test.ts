import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMergePatch } from './index.ts';
import { ApiError } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';

const pod = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec, ...extra });
const deploy = (containers: unknown[], more: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 1, template: { metadata: { labels: { app: 'web' } }, spec: { containers, ...more } } },
});
const svc = (ports: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports } });
const names = (list: { name: string }[]) => list.map((x) => x.name);

const two = () => [
  { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], ports: [{ containerPort: 80 }] },
  { name: 'b', image: 'b:1' },
];

const templated = (kind: string, apiVersion: string, path: (t: unknown) => Record<string, unknown>) => (containers: unknown[]): KubeObject => ({
  apiVersion, kind, metadata: { name: 'w' }, spec: path({ metadata: { labels: { app: 'w' } }, spec: { containers } }),
});
const sts = templated('StatefulSet', 'apps/v1', (template) => ({ replicas: 1, serviceName: 'w', template }));
const ds = templated('DaemonSet', 'apps/v1', (template) => ({ template }));
const job = templated('Job', 'batch/v1', (template) => ({ template }));
const cronJob = templated('CronJob', 'batch/v1', (template) => ({ schedule: '* * * * *', jobTemplate: { spec: { template } } }));

const cases: { name: string; original: KubeObject; patch: unknown; want: (o: any) => void }[] = [
  // kubectl set env / set image on every kind with a pod template: containers merge by name
  ...[sts, ds, job].map((make) => ({
    name: `${make([]).kind}: kubectl set env's patch ($setElementOrder) adds env to the named container`,
    original: make(two()),
    patch: { spec: { template: { spec: { $setElementOrder: { containers: [{ name: 'a' }, { name: 'b' }] }, containers: [{ env: [{ name: 'G', value: 'hi' }], name: 'b' }] } } } },
    want: (o: any) => assert.deepEqual(o.spec.template.spec.containers, [two()[0], { name: 'b', image: 'b:1', env: [{ name: 'G', value: 'hi' }] }]),
  })),
  {
    name: 'CronJob: the job template\'s containers merge by name too',
    original: cronJob(two()),
    patch: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } } } },
    want: (o) => assert.deepEqual(o.spec.jobTemplate.spec.template.spec.containers, [two()[0], { name: 'b', image: 'b:2' }]),
  },
  {
    name: 'kubectl rollout undo of a StatefulSet: $patch replace restores the template whole',
    original: sts(two()),
    patch: { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'a', image: 'a:0' }] } } } },
    want: (o) => assert.deepEqual(o.spec.template, { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'a', image: 'a:0' }] } }),
  },
  {
    name: 'one container of a Deployment changes image, the other is untouched',
    original: deploy(two()),
    patch: { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } },
    want: (o) => assert.deepEqual(o.spec.template.spec.containers, [two()[0], { name: 'b', image: 'b:2' }]),
  },
  {
    name: 'env merges by name; null inside an item deletes a field',
    original: deploy(two()),
    patch: { spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'Y', value: '3' }, { name: 'Z', value: '4' }], ports: null }] } } } },
    want: (o) => {
      const a = o.spec.template.spec.containers[0];
      assert.deepEqual(a.env, [{ name: 'X', value: '1' }, { name: 'Y', value: '3' }, { name: 'Z', value: '4' }]);
      assert.equal(a.ports, undefined);
    },
  },
  {
    name: '$patch: delete removes a container by name',
    original: deploy(two()),
    patch: { spec: { template: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } } } },
    want: (o) => assert.deepEqual(o.spec.template.spec.containers, [{ name: 'b', image: 'b:1' }]),
  },
  {
    name: '$patch: replace on a list replaces it',
    original: deploy(two()),
    patch: { spec: { template: { spec: { containers: [{ name: 'c', image: 'c:1' }, { $patch: 'replace' }] } } } },
    want: (o) => assert.deepEqual(o.spec.template.spec.containers, [{ name: 'c', image: 'c:1' }]),
  },
  {
    name: '$patch: replace on a map replaces it',
    original: deploy(two()),
    patch: { spec: { template: { metadata: { labels: { tier: 'fe', $patch: 'replace' } } } } },
    want: (o) => assert.deepEqual(o.spec.template.metadata.labels, { tier: 'fe' }),
  },
  {
    name: '$patch: delete on a map empties it',
    original: deploy(two()),
    patch: { spec: { template: { metadata: { labels: { $patch: 'delete' } } } } },
    want: (o) => assert.deepEqual(o.spec.template.metadata.labels, {}),
  },
  {
    name: '$setElementOrder orders the merged list',
    original: deploy(two()),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'c' }, { name: 'a' }], containers: [{ name: 'c', image: 'c:1' }] } } } },
    want: (o) => assert.deepEqual(names(o.spec.template.spec.containers), ['b', 'c', 'a']),
  },
  {
    name: 'a Service port is added by port number',
    original: svc([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]),
    patch: { spec: { '$setElementOrder/ports': [{ port: 80 }, { port: 443 }], ports: [{ name: 'https', port: 443, targetPort: 8443 }] } },
    want: (o) => assert.deepEqual(o.spec.ports, [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'https', port: 443, targetPort: 8443 }]),
  },
  {
    name: 'Container ports merge by containerPort',
    original: pod({ containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81 }] }] }),
    patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 81, protocol: 'UDP' }] }] } },
    want: (o) => assert.deepEqual(o.spec.containers[0].ports, [{ containerPort: 80, name: 'http' }, { containerPort: 81, protocol: 'UDP' }]),
  },
  {
    name: 'volumeMounts merge by mountPath, volumes by name',
    original: pod({ volumes: [{ name: 'v', emptyDir: {} }], containers: [{ name: 'a', volumeMounts: [{ name: 'v', mountPath: '/data' }] }] }),
    patch: { spec: { volumes: [{ name: 'w', configMap: { name: 'cm' } }], containers: [{ name: 'a', volumeMounts: [{ name: 'w', mountPath: '/cfg' }] }] } },
    want: (o) => {
      assert.deepEqual(names(o.spec.volumes).sort(), ['v', 'w']);
      assert.deepEqual(o.spec.containers[0].volumeMounts.map((m: any) => m.mountPath).sort(), ['/cfg', '/data']);
    },
  },
  {
    name: 'tolerations have no merge key: the list is replaced',
    original: pod({ tolerations: [{ key: 'a', operator: 'Exists' }], containers: [] }),
    patch: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
    want: (o) => assert.deepEqual(o.spec.tolerations, [{ key: 'b', operator: 'Exists' }]),
  },
  {
    name: 'Pod status conditions merge by type',
    original: pod({}, { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] } }),
    patch: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    want: (o) => assert.deepEqual(o.status.conditions, [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }]),
  },
  {
    name: 'finalizers merge as a set; $deleteFromPrimitiveList removes values',
    original: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['c', 'a'], '$deleteFromPrimitiveList/finalizers': ['b'] } },
    want: (o) => assert.deepEqual(o.metadata.finalizers, ['c', 'a']),
  },
  {
    name: 'ownerReferences merge by uid',
    original: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', uid: '1', name: 'd1' }] } },
    patch: { metadata: { ownerReferences: [{ uid: '2', name: 'd2' }] } },
    want: (o) => assert.deepEqual(o.metadata.ownerReferences.map((r: any) => r.uid).sort(), ['1', '2']),
  },
  {
    name: '$retainKeys clears the fields it does not list (Deployment strategy)',
    original: deploy([], {}),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: (o) => assert.deepEqual(o.spec.strategy, { type: 'Recreate' }),
  },
  {
    name: 'Ingress rules are atomic: replaced',
    original: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ host: 'a' }, { host: 'b' }] } },
    patch: { spec: { rules: [{ host: 'c' }] } },
    want: (o) => assert.deepEqual(o.spec.rules, [{ host: 'c' }]),
  },
  {
    name: 'a new map keeps no nulls and no directives',
    original: pod({ containers: [] }),
    patch: { spec: { securityContext: { runAsUser: 1000, fsGroup: null } }, metadata: { labels: { a: 'b', c: null } } },
    want: (o) => {
      assert.deepEqual(o.spec.securityContext, { runAsUser: 1000 });
      assert.deepEqual(o.metadata.labels, { a: 'b' });
    },
  },
  {
    name: 'a new keyed list is taken as sent: duplicates stay for validation to report',
    original: pod({}),
    patch: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] } },
    want: (o) => assert.deepEqual(o.spec.containers, [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }]),
  },
  {
    name: 'a new list drops delete items and directive keys',
    original: pod({}),
    patch: { spec: { '$setElementOrder/volumes': [{ name: 'v' }], volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', $patch: 'delete' }] } },
    want: (o) => assert.deepEqual(o.spec, { volumes: [{ name: 'v', emptyDir: {} }] }),
  },
  {
    name: 'a value of another type replaces the old one',
    original: pod({ containers: [], nodeSelector: 'oops' }),
    patch: { spec: { nodeSelector: { disk: 'ssd' } } },
    want: (o) => assert.deepEqual(o.spec.nodeSelector, { disk: 'ssd' }),
  },
];

for (const c of cases) {
  test(`strategic merge patch: ${c.name}`, () => {
    const before = structuredClone(c.original);
    c.want(strategicMergePatch(c.original, c.patch));
    assert.deepEqual(c.original, before, 'the original is not modified');
  });
}

// Order rules, as apimachinery's strategicpatch tests state them.
const orderCases: { name: string; original: unknown[]; patch: unknown; want: unknown[] }[] = [
  {
    name: 'patch order wins over server order for the items it names',
    original: [{ name: '1' }, { name: '2', image: 'b' }, { name: '3' }],
    patch: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }, { name: '2', tty: true }],
    want: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }, { name: '2', image: 'b', tty: true }],
  },
  {
    name: 'server-only items stay before the patch items the server lists after them',
    original: [{ name: '1' }, { name: '2', image: 'b' }, { name: '3' }],
    patch: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }],
    want: [{ name: '2', image: 'b' }, { name: '3', image: 'c' }, { name: '1', image: 'a' }],
  },
];
for (const c of orderCases) {
  test(`strategic merge patch order: ${c.name}`, () => {
    const got = strategicMergePatch(pod({ containers: c.original }), { spec: { containers: c.patch } });
    assert.deepEqual(got.spec.containers, c.want);
  });
}

const failing: { name: string; patch: unknown; code: number; message: string }[] = [
  { name: 'a keyed item without its key', patch: { spec: { containers: [{ image: 'x' }] } }, code: 400, message: 'map: map[image:x] does not contain declared merge key: name' },
  { name: 'an unknown $patch', patch: { spec: { containers: [{ name: 'a', $patch: 'explode' }] } }, code: 400, message: 'unknown patch type: explode in map: map[$patch:explode name:a]' },
  { name: '$retainKeys that is not a list', patch: { spec: { $retainKeys: 'x' } }, code: 400, message: 'invalid patch format of retainKeys' },
  { name: 'a patch that is not an object', patch: [1], code: 400, message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
  { name: '$setElementOrder that omits a patched item', patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', image: 'b:2' }] } }, code: 400, message: "The order in patch list:\n[map[image:b:2 name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n" },
];
for (const c of failing) {
  test(`strategic merge patch fails: ${c.name}`, () => {
    assert.throws(
      () => strategicMergePatch(pod({ containers: [{ name: 'a', image: 'a:1' }] }), c.patch),
      (e: unknown) => e instanceof ApiError && e.code === c.code && e.message === c.message,
    );
  });
}
