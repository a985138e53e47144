import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePodStatus, creating, podPhase, qosClass, statusChanged, type ContainerStatusK8s } from './status.ts';
import { k8sState } from './containers.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ContainerState } from '../../runtime/types.ts';

const cs = (state: ContainerStatusK8s['state'], extra: Partial<ContainerStatusK8s> = {}): ContainerStatusK8s =>
  ({ name: 'c', image: 'i', imageID: '', ready: false, started: false, restartCount: 0, state, lastState: {}, ...extra });
const running = cs({ running: { startedAt: 't' } }, { ready: true, started: true });
const done = (exitCode: number) => cs({ terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' } });
const crashLoop = cs({ waiting: { reason: 'CrashLoopBackOff' } }, { lastState: { terminated: { exitCode: 1, reason: 'Error' } }, restartCount: 3 });

test('phase as the kubelet computes it', () => {
  const cases: Array<[string, string, ContainerStatusK8s[], string]> = [
    ['creating', 'Always', [cs({ waiting: { reason: 'ContainerCreating' } })], 'Pending'],
    ['running', 'Always', [running], 'Running'],
    ['crash loop counts as stopped', 'Always', [crashLoop], 'Running'],
    ['exit 0, Never', 'Never', [done(0)], 'Succeeded'],
    ['exit 1, Never', 'Never', [done(1)], 'Failed'],
    ['exit 0, OnFailure', 'OnFailure', [done(0)], 'Succeeded'],
    ['exit 1, OnFailure', 'OnFailure', [done(1)], 'Running'],
    ['exit 0, Always', 'Always', [done(0)], 'Running'],
    ['one running one waiting', 'Always', [running, cs({ waiting: { reason: 'ErrImagePull' } })], 'Pending'],
  ];
  for (const [name, restartPolicy, st, want] of cases) {
    assert.equal(podPhase({ restartPolicy, containers: st.map(() => ({})) }, st), want, name);
  }
  // deleted, containers stopped: terminal whatever the policy (SIGTERM honoured: 0; killed: 137)
  const terminal: Array<[string, string, ContainerStatusK8s[], string]> = [
    ['stopped cleanly, Always', 'Always', [done(0)], 'Succeeded'],
    ['killed after the grace period, Always', 'Always', [done(137)], 'Failed'],
    ['one clean one killed, OnFailure', 'OnFailure', [done(0), done(137)], 'Failed'],
    ['still running', 'Always', [running], 'Running'],
  ];
  for (const [name, restartPolicy, st, want] of terminal) {
    assert.equal(podPhase({ restartPolicy, containers: st.map(() => ({})) }, st, true), want, name);
  }
});

test('QoS class', () => {
  const p = (...res: any[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: res.map((resources) => ({ name: 'c', resources })) } });
  const cases: Array<[KubeObject, string]> = [
    [p({}), 'BestEffort'],
    [p({ limits: { cpu: '1', memory: '1Gi' } }), 'Guaranteed'],
    [p({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }), 'Guaranteed'],
    [p({ requests: { cpu: '100m' } }), 'Burstable'],
    [p({ limits: { cpu: '1', memory: '1Gi' } }, {}), 'Burstable'],
  ];
  for (const [pod, want] of cases) assert.equal(qosClass(pod), want, JSON.stringify(pod.spec));
});

test('conditions: ready pod, unready pod, transition times kept while unchanged', () => {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] },
    status: { conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: 'T0' }] } };
  const first = computePodStatus(pod, { containers: [{ ...running, ready: false }], podIP: '10.244.1.2', hostIP: '10.244.0.2', now: 'T1' });
  assert.deepEqual((first.conditions as any[]).map((c) => [c.type, c.status, c.lastTransitionTime, c.reason ?? '', c.message ?? '']), [
    ['Initialized', 'True', 'T1', '', ''],
    ['Ready', 'False', 'T1', 'ContainersNotReady', 'containers with unready status: [c]'],
    ['ContainersReady', 'False', 'T1', 'ContainersNotReady', 'containers with unready status: [c]'],
    ['PodScheduled', 'True', 'T0', '', ''],
  ]);
  assert.equal(first.phase, 'Running');
  assert.deepEqual(first.podIPs, [{ ip: '10.244.1.2' }]);
  assert.equal(first.startTime, 'T1');
  const second = computePodStatus({ ...pod, status: first }, { containers: [running], podIP: '10.244.1.2', hostIP: '10.244.0.2', now: 'T2' });
  assert.deepEqual((second.conditions as any[]).map((c) => [c.type, c.status, c.lastTransitionTime]), [
    ['Initialized', 'True', 'T1'], ['Ready', 'True', 'T2'], ['ContainersReady', 'True', 'T2'], ['PodScheduled', 'True', 'T0'],
  ]);
  assert.equal(second.startTime, 'T1');
  const third = computePodStatus({ ...pod, status: second }, { containers: [running], podIP: '10.244.1.2', hostIP: '10.244.0.2', now: 'T3' });
  assert.equal(statusChanged(second, third), false);
  assert.deepEqual(creating({ name: 'c', image: 'i' }).state, { waiting: { reason: 'ContainerCreating' } });
});

test('Docker states read as Kubernetes container states', () => {
  const base: ContainerState = { id: 'abc', name: 'n', image: 'i', imageId: 'sha256:1', labels: {}, status: 'exited', running: false, exitCode: 0, oomKilled: false, error: '', pid: 0,
    startedAt: new Date('2024-01-01T00:00:00.123Z'), finishedAt: new Date('2024-01-01T00:00:05Z'), ips: {}, publishedPorts: [], tty: false };
  const cases: Array<[Partial<ContainerState>, unknown]> = [
    [{ status: 'running', running: true }, { running: { startedAt: '2024-01-01T00:00:00Z' } }],
    [{ exitCode: 0 }, { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:05Z', containerID: 'docker://abc' } }],
    [{ exitCode: 2 }, { terminated: { exitCode: 2, reason: 'Error', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:05Z', containerID: 'docker://abc' } }],
    [{ exitCode: 137, oomKilled: true }, { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:05Z', containerID: 'docker://abc' } }],
    [{ status: 'created', startedAt: null, finishedAt: null }, { waiting: { reason: 'ContainerCreating' } }],
  ];
  for (const [over, want] of cases) assert.deepEqual(k8sState({ ...base, ...over }), want, JSON.stringify(over));
  assert.equal(k8sState({ ...base, status: 'created', exitCode: 127, error: 'exec: "nope": executable file not found in $PATH' }).terminated?.reason, 'StartError');
});
