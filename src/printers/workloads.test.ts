// Golden tests for the workload kinds beyond Deployments: objects shaped as the Kubernetes
// tutorials and docs show them, rendered, compared with the tables kubectl prints there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveResource } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { renderTable, toTable, type RenderOptions } from './index.ts';
import { NOW, ago, meta, seed } from './testdata/build.ts';

function render(kind: string, objs: KubeObject[], opts: RenderOptions = {}): string {
  return renderTable(toTable(resolveResource(kind)!, objs, { now: NOW }), opts);
}

const nginx = { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.24' }] };

test('get statefulset (StatefulSet basics tutorial): READY ready/desired; -o wide containers and images', () => {
  const web: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('web', '37s'), spec: { replicas: 2, template: { spec: nginx } }, status: { replicas: 2, readyReplicas: 2 } };
  assert.equal(render('sts', [web]), seed(`
    NAME   READY   AGE
    web    2/2     37s
  `));
  const scaling = { ...web, spec: { ...web.spec, replicas: 5 }, status: { replicas: 3, readyReplicas: 3 } };
  assert.equal(render('statefulsets', [scaling], { wide: true }), seed(`
    NAME   READY   AGE   CONTAINERS   IMAGES
    web    3/5     37s   nginx        registry.k8s.io/nginx-slim:0.24
  `));
});

test('get daemonset -A (DaemonSet docs): counts, NODE SELECTOR, <none> without one', () => {
  const ds = (name: string, ns: string, age: string, n: number, nodeSelector?: Record<string, string>): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta(name, age, { namespace: ns }),
    spec: { selector: { matchLabels: { name } }, template: { spec: { nodeSelector, containers: [{ name, image: `${name}:1` }] } } },
    status: { desiredNumberScheduled: n, currentNumberScheduled: n, numberReady: n, updatedNumberScheduled: n, numberAvailable: n },
  });
  assert.equal(render('ds', [ds('kube-proxy', 'kube-system', '45m', 1, { 'kubernetes.io/os': 'linux' }), ds('fluentd-elasticsearch', 'kube-system', '2m', 2)], { withNamespace: true }), seed(`
    NAMESPACE     NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE
    kube-system   kube-proxy              1         1         1       1            1           kubernetes.io/os=linux   45m
    kube-system   fluentd-elasticsearch   2         2         2       2            2           <none>                   2m
  `));
  assert.equal(render('daemonsets', [ds('fluentd', 'default', '2m', 2)], { wide: true }), seed(`
    NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE   CONTAINERS   IMAGES      SELECTOR
    fluentd   2         2         2       2            2           <none>          2m    fluentd      fluentd:1   name=fluentd
  `));
});

test('get jobs (Jobs docs): STATUS, COMPLETIONS, DURATION while running and once complete or failed', () => {
  const job = (name: string, age: string, spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: meta(name, age), spec: { ...spec, template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34.0' }] } } }, status,
  });
  const complete = { type: 'Complete', status: 'True' };
  assert.equal(render('jobs', [
    job('pi', '9s', { completions: 1, parallelism: 1 }, { succeeded: 1, startTime: ago('9s'), completionTime: ago('4s'), conditions: [complete] }),
    job('work', '30s', { completions: 3, parallelism: 2 }, { active: 2, succeeded: 1, startTime: ago('30s') }),
    job('queue', '2m', { parallelism: 3 }, { active: 3, startTime: ago('2m') }),
    job('fails', '1m', { completions: 1, parallelism: 1 }, { failed: 2, startTime: ago('1m'), conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] }),
    job('new', '0s', { completions: 1, parallelism: 1 }, {}),
  ]), seed(`
    NAME    STATUS     COMPLETIONS   DURATION   AGE
    pi      Complete   1/1           5s         9s
    work    Running    1/3           30s        30s
    queue   Running    0/1 of 3      2m         2m
    fails   Failed     0/1           60s        60s
    new     Running    0/1                      0s
  `));
});

test('get cronjob (CronJob docs): SCHEDULE, TIMEZONE <none>, SUSPEND False, LAST SCHEDULE', () => {
  const cj = (name: string, age: string, status: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta(name, age),
    spec: { schedule: '* * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox:1.28' }] } } } }, ...extra }, status,
  });
  assert.equal(render('cronjob', [cj('hello', '10s', {}), cj('hello-tz', '3m', { active: [{ name: 'hello-tz-1' }], lastScheduleTime: ago('50s') }, { timeZone: 'Etc/UTC', suspend: true })]), seed(`
    NAME       SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
    hello      * * * * *   <none>     False     0        <none>          10s
    hello-tz   * * * * *   Etc/UTC    True      1        50s             3m
  `));
});

test('get hpa (HorizontalPodAutoscaler walkthrough): TARGETS before and after a measurement', () => {
  const hpa = (status: Record<string, unknown>): KubeObject => ({
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('php-apache', '18s'),
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    status,
  });
  assert.equal(render('hpa', [hpa({ currentReplicas: 1, desiredReplicas: 1 })]), seed(`
    NAME         REFERENCE               TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
    php-apache   Deployment/php-apache   cpu: <unknown>/50%   1         10        1          18s
  `));
  const measured = hpa({ currentReplicas: 1, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 0 } } }] });
  assert.equal(render('hpa', [measured]).split('\n')[1], 'php-apache   Deployment/php-apache   cpu: 0%/50%   1         10        1          18s');
});

test('get leases -n kube-node-lease: HOLDER; get controllerrevisions: CONTROLLER statefulset.apps/web', () => {
  const lease: KubeObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('minikube', '5m', { namespace: 'kube-node-lease' }), spec: { holderIdentity: 'minikube', leaseDurationSeconds: 40 } };
  assert.equal(render('leases', [lease]), seed(`
    NAME       HOLDER     AGE
    minikube   minikube   5m
  `));
  const cr: KubeObject = {
    apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 1, data: {},
    metadata: meta('web-6596ffb49b', '6m', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] }),
  };
  assert.equal(render('controllerrevisions', [cr, { ...cr, metadata: meta('orphan-1', '6m') }]), seed(`
    NAME             CONTROLLER             REVISION   AGE
    web-6596ffb49b   statefulset.apps/web   1          6m
    orphan-1         <none>                 1          6m
  `));
});
