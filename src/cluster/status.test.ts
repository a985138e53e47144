import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderStatus, statusExitCode, type NodeStatus } from './status.ts';
import { renderProfiles } from './profile-list.ts';
import { isReadySince } from './steps/wait.ts';

const cp = (o: Partial<NodeStatus> = {}): NodeStatus => ({ name: 'mk', controlPlane: true, host: 'Running', kubelet: 'Running', apiserver: 'Running', kubeconfig: 'Configured', ...o });
const worker = (o: Partial<NodeStatus> = {}): NodeStatus => ({ name: 'mk-m02', controlPlane: false, host: 'Running', kubelet: 'Running', ...o });

test('status in minikube\'s layout and exit bits', async (t) => {
  const cases: { name: string; nodes: NodeStatus[]; text: string; code: number }[] = [
    {
      name: 'one running node',
      nodes: [cp()],
      text: 'mk\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n',
      code: 0,
    },
    {
      name: 'control plane and a worker',
      nodes: [cp(), worker()],
      text: 'mk\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\nmk-m02\ntype: Worker\nhost: Running\nkubelet: Running\n\n',
      code: 0,
    },
    {
      name: 'stopped',
      nodes: [cp({ host: 'Stopped', kubelet: 'Stopped', apiserver: 'Stopped', kubeconfig: 'Stopped' }), worker({ host: 'Stopped', kubelet: 'Stopped' })],
      text: 'mk\ntype: Control Plane\nhost: Stopped\nkubelet: Stopped\napiserver: Stopped\nkubeconfig: Stopped\n\nmk-m02\ntype: Worker\nhost: Stopped\nkubelet: Stopped\n\n',
      code: 7,
    },
    { name: 'a worker down', nodes: [cp(), worker({ host: 'Stopped', kubelet: 'Stopped' })], text: '', code: 3 },
    {
      name: 'kubeconfig points elsewhere: the command that fixes it',
      nodes: [cp({ kubeconfig: 'Misconfigured' }), worker()],
      text: 'mk\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Misconfigured\n\n'
        + '\nWARNING: Your kubectl is pointing to a stale address of "mk".\nTo fix the kubectl context, run `mk update-context -p mk`\n'
        + 'mk-m02\ntype: Worker\nhost: Running\nkubelet: Running\n\n',
      code: 4,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      if (c.text) assert.equal(renderStatus(c.nodes, 'mk'), c.text);
      assert.equal(statusExitCode(c.nodes), c.code);
    });
  }
});

test('profile list table', () => {
  const text = renderProfiles([
    { profile: 'mk', ip: '10.244.0.2', version: 'v1.33.0', status: 'Running', nodes: 2, active: true },
    { profile: 'dev-cluster', ip: '10.245.0.2', version: 'v1.33.0', status: 'Stopped', nodes: 1, active: false },
  ]);
  assert.equal(text, [
    '|-------------|-----------|---------|------------|------|---------|---------|-------|--------|',
    '|   Profile   | VM Driver | Runtime |     IP     | Port | Version | Status  | Nodes | Active |',
    '|-------------|-----------|---------|------------|------|---------|---------|-------|--------|',
    '| mk          | docker    | docker  | 10.244.0.2 | 6443 | v1.33.0 | Running |     2 | *      |',
    '| dev-cluster | docker    | docker  | 10.245.0.2 | 6443 | v1.33.0 | Stopped |     1 |        |',
    '|-------------|-----------|---------|------------|------|---------|---------|-------|--------|',
    '',
  ].join('\n'));
});

test('nodes count as Ready only with a heartbeat since the start', () => {
  const ready = [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:10Z' }];
  assert.equal(isReadySince(ready, -Infinity), true);
  assert.equal(isReadySince(ready, Date.parse('2026-01-01T00:00:10Z')), true);
  assert.equal(isReadySince(ready, Date.parse('2026-01-01T00:00:11Z')), false);
  assert.equal(isReadySince([{ type: 'Ready', status: 'False', lastHeartbeatTime: '2026-01-01T00:00:10Z' }], -Infinity), false);
});
