// Every controller's status write tolerates its object being deleted just before it (by a user,
// a CronJob's Replace, the garbage collector): the write finds it gone, and that is no error.
// The test deletes each kind between the controller's cache and its first status write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R, type ResourceType } from '../../src/api/resources.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { harness, until } from './harness.ts';

const labels = { app: 'gone' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
const cases: { r: ResourceType; obj: KubeObject }[] = [
  { r: R.deployments, obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gone', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: labels }, template } } },
  { r: R.replicasets, obj: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'gone', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: labels }, template } } },
  { r: R.statefulsets, obj: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'gone', namespace: 'default' }, spec: { replicas: 1, serviceName: 'gone', selector: { matchLabels: labels }, template } } },
  { r: R.daemonsets, obj: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'gone', namespace: 'default' }, spec: { selector: { matchLabels: labels }, template } } },
  { r: R.cronjobs, obj: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'gone', namespace: 'default' }, spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } } },
  { r: R.jobs, obj: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'gone', namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
  { r: R.horizontalpodautoscalers, obj: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'gone', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 } } },
];

for (const c of cases) {
  test(`a ${c.obj.kind} deleted just before its status write is no error`, async () => {
    const h = await harness();
    try {
      const update = h.client.update.bind(h.client);
      let raced = 0;
      h.client.update = (async (r, ns, name, obj, o) => {
        if (r === c.r && name === 'gone' && o?.subresource === 'status' && raced++ === 0) {
          await h.client.delete(c.r, 'default', 'gone', { propagationPolicy: 'Background' });
        }
        return update(r, ns, name, obj, o);
      }) as typeof h.client.update;
      await h.client.create(c.r, 'default', c.obj);
      if (c.r === R.cronjobs) {
        await h.ctl.whenIdle();
        h.clock.advance(60_000); // its first scheduled time: a Job, then a status saying so
      }
      await until('the status write raced', async () => raced > 0);
      await until('the object gone', async () => (await h.client.list(c.r, { namespace: 'default' })).items.length === 0);
      await h.ctl.whenIdle();
      assert.deepEqual(h.errors, []);
    } finally {
      await h.close();
    }
  });
}
