// describe compared with what real kubectl 1.33 prints for the same objects, served by the
// in-process oracle API (skipped where kubectl.1.33 is not installed), plus a seed golden.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { describe } from './index.ts';
import { describeMatchesKubectl, type DescribeCase } from './kubectl-cases.test-helper.ts';
import { NOW, ago, meta, runningPod, service, seed } from '../testdata/build.ts';

const svc = service('kubia-nodeport', '99m', { type: 'NodePort', clusterIP: '10.103.7.50', selector: { app: 'kubia' }, externalTrafficPolicy: 'Cluster', ports: [{ port: 80, targetPort: 8080, nodePort: 30123 }] });
const ep: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('kubia-nodeport', '99m'), subsets: [{ addresses: [{ ip: '10.44.0.1' }, { ip: '10.44.0.2' }, { ip: '10.44.0.3' }], notReadyAddresses: [{ ip: '10.44.0.9' }], ports: [{ port: 8080, protocol: 'TCP' }] }] };
const slice: KubeObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('kubia-nodeport-x', '99m', { labels: { 'kubernetes.io/service-name': 'kubia-nodeport' } }), addressType: 'IPv4', endpoints: ['10.44.0.1', '10.44.0.2', '10.44.0.3', '10.44.0.9'].map((ip, i) => ({ addresses: [ip], conditions: { ready: i < 3 } })), ports: [{ name: '', port: 8080, protocol: 'TCP' }] };

const pod = runningPod('kubia-2xk54', '6m26s', { labels: { app: 'kubia' }, ip: '10.44.0.2', node: 'server02', ready: false });
Object.assign(pod.spec, {
  serviceAccountName: 'default', priority: 0, nodeSelector: { gpu: 'true' },
  tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cm1' } }],
  containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    readinessProbe: { exec: { command: ['ls', '/var/ready'] }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    env: [{ name: 'A', value: '1' }], volumeMounts: [{ name: 'data', mountPath: '/data' }], resources: { requests: { cpu: '250m' } } }],
});
pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'kubia', uid: 'uid-kubia', controller: true }];
Object.assign(pod.status, { hostIP: '10.239.140.200', startTime: ago('6m26s'), qosClass: 'Burstable' });
pod.status.containerStatuses[0].name = 'kubia';
pod.status.containerStatuses[0].restartCount = 1;
pod.status.containerStatuses[0].lastState = { terminated: { exitCode: 137, reason: 'Error', startedAt: ago('6m'), finishedAt: ago('5m') } };

const ev = (name: string, kind: string, obj: string, type: string, reason: string, age: string, from: string, msg: string, count = 1): KubeObject => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default', creationTimestamp: ago(age) },
  involvedObject: { kind, name: obj, namespace: 'default', uid: `uid-${obj}` }, type, reason, message: msg,
  firstTimestamp: ago(age), lastTimestamp: ago(age), count, source: { component: from } });
const events = [
  ev('e2', 'Pod', 'kubia-2xk54', 'Warning', 'Unhealthy', '5m', 'kubelet', 'Readiness probe failed: ls: /var/ready: No such file or directory', 31),
  ev('e1', 'Pod', 'kubia-2xk54', 'Normal', 'Scheduled', '6m26s', 'default-scheduler', 'Successfully assigned default/kubia-2xk54 to server02'),
];
const tmpl = { metadata: { labels: { app: 'hello' } }, spec: { containers: [{ name: 'hello', image: 'hello-app:1.0', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } };
const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('hello', '5m50s', { labels: { app: 'hello' }, annotations: { 'deployment.kubernetes.io/revision': '1' } }), spec: { replicas: 2, selector: { matchLabels: { app: 'hello' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, template: tmpl }, status: { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] } };
const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('hello-55594b4d48', '5m50s', { labels: { app: 'hello' }, annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello', uid: 'uid-hello', controller: true }] }), spec: { replicas: 2, selector: { matchLabels: { app: 'hello' } }, template: tmpl }, status: { replicas: 2, readyReplicas: 2 } };
const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cm1', '1h'), data: { 'a.conf': 'x=1\ny=2\n' } }; // one key: kubectl walks Go maps in random order
const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: meta('s1', '1h'), type: 'Opaque', data: { password: 'cGFzc3dvcmQ=' } };
const ext = service('external-service', '1h', { ports: [{ port: 80 }], clusterIP: '10.97.153.150' });
const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('builder', '1h', { labels: { team: 'ci' } }), secrets: [{ name: 'builder-token' }, { name: 'gone' }], imagePullSecrets: [{ name: 's1' }, { name: 'other' }] };
const saToken: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: meta('builder-token', '1h', { annotations: { 'kubernetes.io/service-account.name': 'builder', 'kubernetes.io/service-account.uid': sa.metadata.uid! } }), type: 'kubernetes.io/service-account-token', data: {} };

const all = [svc, ep, slice, pod, ...events, deploy, rs, cm, secret, ext, sa, saToken];
const cases: DescribeCase[] = [
  { args: 'describe svc kubia-nodeport', kind: 'svc', obj: svc, ctx: { endpointSlices: [slice] } },
  { args: 'describe svc external-service', kind: 'svc', obj: ext, ctx: { endpointSlices: [] } },
  { args: 'describe ep kubia-nodeport', kind: 'ep', obj: ep, ctx: {} },
  { args: 'describe pod kubia-2xk54', kind: 'pod', obj: pod, ctx: { events } },
  { args: 'describe deploy hello', kind: 'deploy', obj: deploy, ctx: { replicaSets: [rs] } },
  { args: 'describe rs hello-55594b4d48', kind: 'rs', obj: rs, ctx: { pods: [] } },
  { args: 'describe cm cm1', kind: 'cm', obj: cm, ctx: {} },
  { args: 'describe secret s1', kind: 'secret', obj: secret, ctx: {} },
  { args: 'describe sa builder', kind: 'sa', obj: sa, ctx: { secrets: [secret, saToken] } },
];

describeMatchesKubectl(all, NOW, cases);

test('describe svc with Endpoints (kubectl 1.27–1.30 path): seed 002 port and endpoint lines', () => {
  const out = describe(R.services, svc, { endpoints: ep, now: NOW });
  assert.match(out, /\nPort:                     <unset>  80\/TCP\nTargetPort:               8080\/TCP\nNodePort:                 <unset>  30123\/TCP\nEndpoints:                10\.44\.0\.1:8080,10\.44\.0\.2:8080,10\.44\.0\.3:8080\n/);
  assert.match(describe(R.services, ext, { now: NOW }), /\nEndpoints:                <none>\nSession Affinity:         None\nInternal Traffic Policy:  Cluster\n/);
  assert.equal(describe(R.services, ext, { now: NOW }).endsWith('Events:                   <none>\n'), true);
  assert.equal(seed('\tEvents:  <none>\n'), 'Events:  <none>\n');
});
