// describe of the workload kinds beyond Deployments compared with what real kubectl 1.33 prints
// for the same objects, served by the in-process oracle API (skipped where kubectl.1.33 is not
// installed).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveResource } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { describe } from './index.ts';
import { Oracle } from '../testdata/oracle.ts';
import { describeMatchesKubectl, NO_KUBECTL_133, type DescribeCase } from './kubectl-cases.test-helper.ts';
import { NOW, ago, meta, runningPod } from '../testdata/build.ts';

const owner = (kind: string, name: string) => [{ apiVersion: kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1', kind, name, uid: `uid-${name}`, controller: true }];
const tmpl = (app: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: app, image: `${app}:1`, ports: [{ containerPort: 80, name: 'web', protocol: 'TCP' }], volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }], ...extra },
});

const sts: KubeObject = {
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('web', '2m'),
  spec: {
    replicas: 2, serviceName: 'nginx', selector: { matchLabels: { app: 'nginx' } }, template: tmpl('nginx'), podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
  status: { replicas: 2, readyReplicas: 2 },
};
const ds: KubeObject = {
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('fluentd', '5m', { annotations: { 'deprecated.daemonset.template.generation': '1' } }),
  spec: { selector: { matchLabels: { app: 'fluentd' } }, template: tmpl('fluentd', { nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } },
  status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1, numberMisscheduled: 0 },
};
const jobLabels = { 'batch.kubernetes.io/controller-uid': 'uid-pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'uid-pi', 'job-name': 'pi' };
const job: KubeObject = {
  apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi', '1m', { labels: jobLabels }),
  spec: {
    parallelism: 1, completions: 1, completionMode: 'NonIndexed', suspend: false, backoffLimit: 4, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-pi' } },
    template: { metadata: { labels: jobLabels }, spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }] } },
  },
  status: { startTime: ago('60s'), completionTime: ago('5s'), succeeded: 1, ready: 0, conditions: [{ type: 'Complete', status: 'True' }] },
};
const indexed: KubeObject = {
  ...job, metadata: meta('idx', '1m', { ownerReferences: owner('CronJob', 'hello') }),
  spec: { ...job.spec, completions: 3, parallelism: 3, completionMode: 'Indexed', ttlSecondsAfterFinished: 100, activeDeadlineSeconds: 600 },
  status: { startTime: ago('50s'), active: 2, ready: 1, succeeded: 1, completedIndexes: '1' },
};
const cj: KubeObject = {
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('hello', '3m'),
  spec: { schedule: '* * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox:1.28', command: ['/bin/sh', '-c', 'date; echo Hello'] }] } } } } },
  status: { lastScheduleTime: ago('20s'), active: [{ kind: 'Job', name: 'hello-28', namespace: 'default' }] },
};
const hpa: KubeObject = {
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('php-apache', '3m'),
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' }, minReplicas: 1, maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }, { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }],
    behavior: { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] }, scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
  },
  status: {
    currentReplicas: 1, desiredReplicas: 1,
    conditions: [
      { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" },
      { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization' },
    ],
  },
};

const pod = (name: string, app: string, ownerKind: string, ownerName: string, phase = 'Running') => {
  const p = runningPod(name, '1m', { labels: { app } });
  p.metadata.ownerReferences = owner(ownerKind, ownerName);
  p.status.phase = phase;
  return p;
};
const pods = [pod('web-0', 'nginx', 'StatefulSet', 'web'), pod('web-1', 'nginx', 'StatefulSet', 'web', 'Pending'), pod('fluentd-abcde', 'fluentd', 'DaemonSet', 'fluentd')];
const ev = (name: string, kind: string, obj: string, reason: string, age: string, from: string, msg: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default', creationTimestamp: ago(age) },
  involvedObject: { kind, name: obj, namespace: 'default', uid: `uid-${obj}` }, type: 'Normal', reason, message: msg,
  firstTimestamp: ago(age), lastTimestamp: ago(age), count: 1, source: { component: from } });
const events = [
  ev('e1', 'StatefulSet', 'web', 'SuccessfulCreate', '2m', 'statefulset-controller', 'create Pod web-0 in StatefulSet web successful'),
  ev('e2', 'Job', 'pi', 'Completed', '5s', 'job-controller', 'Job completed'),
];

const all = [sts, ds, job, indexed, cj, hpa, ...pods, ...events];
const cases: DescribeCase[] = [
  { args: 'describe sts web', kind: 'sts', obj: sts, ctx: { pods, events: events.filter((e) => e.involvedObject.name === 'web') } },
  { args: 'describe ds fluentd', kind: 'ds', obj: ds, ctx: { pods, events: [] } },
  { args: 'describe job pi', kind: 'job', obj: job, ctx: { events: events.filter((e) => e.involvedObject.name === 'pi') } },
  { args: 'describe job idx', kind: 'job', obj: indexed, ctx: { events: [] } },
  { args: 'describe cj hello', kind: 'cj', obj: cj, ctx: { events: [] } },
  { args: 'describe hpa php-apache', kind: 'hpa', obj: hpa, ctx: { events: [] } },
];

describeMatchesKubectl(all, NOW, cases);

test('describe node shows its Lease as kubectl 1.33 does', { skip: NO_KUBECTL_133 }, async () => {
  const node: KubeObject = {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'mk-m02', uid: 'uid-mk-m02', creationTimestamp: ago('1h'), labels: { 'kubernetes.io/hostname': 'mk-m02' } }, spec: { podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: ago('5s'), lastTransitionTime: ago('1h') }],
      addresses: [{ type: 'InternalIP', address: '10.244.0.3' }, { type: 'Hostname', address: 'mk-m02' }],
      capacity: { cpu: '2', memory: '4000000Ki', pods: '110' }, allocatable: { cpu: '2', memory: '4000000Ki', pods: '110' },
      nodeInfo: { kernelVersion: '6.1', osImage: 'Debian', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'docker://24', kubeletVersion: 'v1.33.0', kubeProxyVersion: 'v1.33.0' },
    },
  };
  const lease: KubeObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'mk-m02', namespace: 'kube-node-lease', creationTimestamp: ago('1h') }, spec: { holderIdentity: 'mk-m02', leaseDurationSeconds: 40, renewTime: '2024-05-01T11:59:55.123456Z' } };
  const o = new Oracle([node, lease], NOW);
  await o.start();
  try {
    // the head of the text, up to the conditions: mk's node describer stops short of kubectl's
    // resource tables, which this does not judge
    const head = (text: string) => text.slice(0, text.indexOf('Conditions:'));
    const want = head(await o.kubectl(33, ['describe', 'node', 'mk-m02']));
    assert.match(want, /\nLease:\n  HolderIdentity:  mk-m02\n  AcquireTime:     <unset>\n  RenewTime:       /);
    assert.equal(head(describe(resolveResource('node')!, node, { pods: [], events: [], lease, now: new Date() })), want);
  } finally {
    await o.stop();
  }
});
