// The HorizontalPodAutoscaler controller against the in-process API server, with no metrics API:
// targets brought within minReplicas..maxReplicas through their scale subresource, and within
// the bounds the conditions and events kube-controller-manager gives when metrics are missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.ts';
import { R } from '../../src/api/resources.ts';
import { deployment, harness, until } from './harness.ts';

function hpa(target: { kind: string; name: string; apiVersion?: string }, min: number, max: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'hpa', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', ...target }, minReplicas: min, maxReplicas: max },
  };
}

const NO_METRICS = 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';

// once within the bounds, the next sync finds no metrics to go further by
const thenNoMetrics = [`Warning FailedGetResourceMetric ${NO_METRICS}`, `Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${NO_METRICS}`];

const cases: {
  name: string;
  target?: KubeObject;
  ref: { kind: string; name: string };
  min: number;
  max: number;
  replicas: number;
  /** status.currentReplicas / desiredReplicas once settled (the target's spec.replicas; desired untouched while metrics fail) */
  counts?: [number, number];
  conditions: string[];
  events: string[];
}[] = [
  {
    name: 'below minReplicas: scaled up to it',
    target: deployment('web', 1, 'app:1'),
    ref: { kind: 'Deployment', name: 'web' },
    min: 2, max: 5, replicas: 2, counts: [2, 2],
    conditions: ['AbleToScale True SucceededRescale the HPA controller was able to update the target scale to 2'],
    events: ['Normal SuccessfulRescale New size: 2; reason: Current number of replicas below Spec.MinReplicas', ...thenNoMetrics],
  },
  {
    name: 'a StatefulSet above maxReplicas: scaled down to it',
    target: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 4, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } } } },
    ref: { kind: 'StatefulSet', name: 'db' },
    min: 1, max: 2, replicas: 2, counts: [2, 2],
    conditions: ['AbleToScale True SucceededRescale the HPA controller was able to update the target scale to 2'],
    events: ['Normal SuccessfulRescale New size: 2; reason: Current number of replicas above Spec.MaxReplicas', ...thenNoMetrics],
  },
  {
    name: 'within the bounds: no metrics, so no scaling, and it says why',
    target: deployment('web', 3, 'app:1'),
    ref: { kind: 'Deployment', name: 'web' },
    min: 1, max: 5, replicas: 3, counts: [3, 0],
    conditions: ["AbleToScale True SucceededGetScale the HPA controller was able to get the target's current scale", `ScalingActive False FailedGetResourceMetric the HPA was unable to compute the replica count: ${NO_METRICS}`],
    events: thenNoMetrics,
  },
  {
    name: 'a missing target',
    ref: { kind: 'Deployment', name: 'nope' },
    min: 1, max: 5, replicas: -1,
    conditions: ['AbleToScale False FailedGetScale the HPA controller was unable to get the target\'s current scale: deployments.apps "nope" not found'],
    events: ['Warning FailedGetScale deployments.apps "nope" not found'],
  },
];

for (const c of cases) {
  test(`HPA: ${c.name}`, async () => {
    const h = await harness();
    try {
      const r = c.ref.kind === 'StatefulSet' ? R.statefulsets : R.deployments;
      if (c.target) await h.client.create(r, 'default', c.target);
      await h.client.create(R.horizontalpodautoscalers, 'default', hpa(c.ref, c.min, c.max));
      await until('conditions', async () => {
        const cur = await h.client.get(R.horizontalpodautoscalers, 'default', 'hpa');
        const have = (cur.status?.conditions ?? []).map((x: { type: string; status: string; reason: string; message: string }) => `${x.type} ${x.status} ${x.reason} ${x.message}`);
        return c.conditions.every((w) => have.includes(w)) && cur;
      });
      if (c.replicas >= 0) assert.equal((await h.client.get(r, 'default', c.ref.name)).spec.replicas, c.replicas);
      await h.ctl.whenIdle();
      // later syncs: the next one finds the metrics missing (when it did not already), then nothing new
      for (let i = 0; i < 3; i++) {
        h.clock.advance(15_000);
        await h.ctl.whenIdle();
      }
      const st = (await h.client.get(R.horizontalpodautoscalers, 'default', 'hpa')).status;
      if (c.counts) assert.deepEqual([st.currentReplicas, st.desiredReplicas], c.counts, 'current / desired');
      assert.ok(!(st.conditions ?? []).some((x: { type: string }) => x.type === 'ScalingLimited'), 'no ScalingLimited without metrics');
      const events = (await h.client.list(R.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.kind === 'HorizontalPodAutoscaler').map((e) => `${e.type} ${e.reason} ${e.message}`);
      assert.deepEqual(events, c.events);
      assert.deepEqual(h.errors, []);
    } finally {
      await h.close();
    }
  });
}
