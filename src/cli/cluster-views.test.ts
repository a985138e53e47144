import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeStatus } from '../cluster/index.ts';
import { addonsJson, renderAddons, renderImageList, renderNodeList, renderProfiles, renderStatus, statusExitCode } from './cluster-views.ts';

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

test('renderNodeList prints minikube\'s name<TAB>ip lines', () => {
  assert.equal(renderNodeList([{ name: 'mk', ip: '10.244.0.2' }, { name: 'mk-m02', ip: '10.244.0.3' }]), 'mk\t10.244.0.2\nmk-m02\t10.244.0.3\n');
  assert.equal(renderNodeList([]), '');
});

test('renderImageList prints one full name a line', () => {
  assert.equal(renderImageList(['docker.io/library/busybox:latest', 'mk-node:0.1.0']), 'docker.io/library/busybox:latest\nmk-node:0.1.0\n');
});

test('addons list in minikube\'s layout: enabled ✅ takes the width of two columns; -o json', () => {
  const rows = [
    { name: 'default-storageclass', status: 'enabled' as const, maintainer: 'Kubernetes', docs: '' },
    { name: 'ingress', status: 'disabled' as const, maintainer: 'Kubernetes', docs: '' },
  ];
  assert.equal(renderAddons(rows, 'minikube'), [
    '|----------------------|----------|------------|------------|',
    '|      ADDON NAME      | PROFILE  |   STATUS   | MAINTAINER |',
    '|----------------------|----------|------------|------------|',
    '| default-storageclass | minikube | enabled ✅ | Kubernetes |',
    '| ingress              | minikube | disabled   | Kubernetes |',
    '|----------------------|----------|------------|------------|',
    '',
  ].join('\n'));
  assert.equal(addonsJson(rows, 'mk'), '{"default-storageclass":{"Profile":"mk","Status":"enabled"},"ingress":{"Profile":"mk","Status":"disabled"}}\n');
});
