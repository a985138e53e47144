import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMergePatch, threeWayStrategicPatch } from './index.ts';
import type { KubeObject } from '../api/types.ts';

type Obj = Record<string, any>;
const deploy = (containers: Obj[], spec: Obj = {}, meta: Obj = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...meta },
  spec: { replicas: 2, ...spec, template: { metadata: { labels: { app: 'web' } }, spec: { containers } } },
});
const svc = (ports: Obj[]): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports } });
/** What the server adds to what the user wrote. */
const live = (o: KubeObject): KubeObject => {
  const c = structuredClone(o);
  c.metadata = { ...c.metadata, uid: 'u1', resourceVersion: '7', labels: { ...c.metadata.labels, 'added-by': 'someone-else' } };
  for (const k of c.spec?.template?.spec?.containers ?? []) Object.assign(k, { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' });
  for (const p of c.spec?.ports ?? []) Object.assign(p, { protocol: 'TCP' });
  return c;
};

const a1 = { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] };
const b1 = { name: 'b', image: 'b:1' };

const cases: { name: string; last: KubeObject; modified: KubeObject; current?: KubeObject; patch: unknown; result: (o: any) => void }[] = [
  {
    name: 'nothing changed: empty patch',
    last: deploy([a1, b1]),
    modified: deploy([a1, b1]),
    patch: {},
    result: (o) => assert.equal(o.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent'),
  },
  {
    name: 'one container of two changes image: only that container changes',
    last: deploy([a1, b1]),
    modified: deploy([a1, { ...b1, image: 'b:2' }]),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b', image: 'b:2' }] } } } },
    result: (o) =>
      assert.deepEqual(o.spec.template.spec.containers, [
        { ...a1, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' },
        { name: 'b', image: 'b:2', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' },
      ]),
  },
  {
    name: 'an env var removed from the config is deleted',
    last: deploy([a1, b1]),
    modified: deploy([{ ...a1, env: [{ name: 'X', value: '1' }] }, b1]),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
            containers: [{ name: 'a', '$setElementOrder/env': [{ name: 'X' }], env: [{ $patch: 'delete', name: 'Y' }] }],
          },
        },
      },
    },
    result: (o) => assert.deepEqual(o.spec.template.spec.containers[0].env, [{ name: 'X', value: '1' }]),
  },
  {
    name: 'a container removed from the config gets $patch: delete',
    last: deploy([a1, b1]),
    modified: deploy([b1]),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }], containers: [{ $patch: 'delete', name: 'a' }] } } } },
    result: (o) => assert.deepEqual(o.spec.template.spec.containers.map((c: Obj) => c.name), ['b']),
  },
  {
    name: 'a field removed from the config becomes null; fields set by others stay',
    last: deploy([b1], { replicas: 3, minReadySeconds: 5 }, { labels: { team: 'x' } }),
    modified: deploy([b1], { replicas: 3 }, { labels: {} }),
    patch: { metadata: { labels: { team: null } }, spec: { minReadySeconds: null } },
    result: (o) => {
      assert.deepEqual(o.metadata.labels, { 'added-by': 'someone-else' });
      assert.equal(o.spec.minReadySeconds, undefined);
      assert.equal(o.spec.replicas, 3);
    },
  },
  {
    name: 'a live value that drifted is set back to the config',
    last: deploy([b1], { replicas: 2 }),
    modified: deploy([b1], { replicas: 2 }),
    current: { ...live(deploy([b1])), spec: { ...live(deploy([b1])).spec, replicas: 5 } },
    patch: { spec: { replicas: 2 } },
    result: (o) => assert.equal(o.spec.replicas, 2),
  },
  {
    name: 'a Service port is added, keyed by port',
    last: svc([{ name: 'http', port: 80, targetPort: 8080 }]),
    modified: svc([{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }]),
    patch: { spec: { '$setElementOrder/ports': [{ port: 80 }, { port: 443 }], ports: [{ name: 'https', port: 443, targetPort: 8443 }] } },
    result: (o) =>
      assert.deepEqual(o.spec.ports, [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 8443 },
      ]),
  },
  {
    name: 'finalizers: removed values go through $deleteFromPrimitiveList',
    last: deploy([b1], {}, { finalizers: ['a', 'b'] }),
    modified: deploy([b1], {}, { finalizers: ['a', 'c'] }),
    patch: { metadata: { '$setElementOrder/finalizers': ['a', 'c'], '$deleteFromPrimitiveList/finalizers': ['b'], finalizers: ['c'] } },
    result: (o) => assert.deepEqual(o.metadata.finalizers, ['a', 'c']),
  },
  {
    name: 'Deployment strategy switched to Recreate: $retainKeys drops rollingUpdate',
    last: deploy([b1], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
    modified: deploy([b1], { strategy: { type: 'Recreate' } }),
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
    result: (o) => assert.deepEqual(o.spec.strategy, { type: 'Recreate' }),
  },
  {
    name: 'first apply over an object created without last-applied: only changes, no deletions',
    last: {} as KubeObject,
    modified: deploy([{ ...b1, image: 'b:3' }]),
    current: live(deploy([b1])),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }], containers: [{ name: 'b', image: 'b:3' }] } } } },
    result: (o) => assert.equal(o.metadata.labels['added-by'], 'someone-else'),
  },
];

for (const c of cases) {
  test(`three-way patch: ${c.name}`, () => {
    const current = c.current ?? live(c.last);
    const inputs = structuredClone([c.last, c.modified, current]);
    const patch = threeWayStrategicPatch(c.last, c.modified, current, c.modified.kind);
    assert.deepEqual(patch, c.patch);
    assert.deepEqual([c.last, c.modified, current], inputs, 'inputs are not modified');
    c.result(strategicMergePatch(current, patch));
  });
}
