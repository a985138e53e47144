import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startOptions } from '../start.ts';
import { nodeSpec } from './nodes.ts';
import { parseAgentArgs } from '../../agent/main.ts';

test('node container specs', () => {
  const o = startOptions({ profile: 'dev', nodes: 2, packageRoot: '/pkg', dockerSocket: '/run/docker.sock', env: {} });
  const cp = nodeSpec(o, { index: 1, name: 'dev', role: 'control-plane', ip: '10.244.0.2', podCIDR: '10.244.1.0/24' }, '10.244.0.2', 'mk-node:1', { apiserver: 40001, http: 40002, https: 40003 });
  const w = nodeSpec(o, { index: 2, name: 'dev-m02', role: 'worker', ip: '10.244.0.3', podCIDR: '10.244.2.0/24' }, '10.244.0.2', 'mk-node:1');
  assert.deepEqual(cp.labels, { 'mk.cluster': 'dev', 'mk.role': 'control-plane', 'mk.node': 'dev' });
  assert.deepEqual(w.labels, { 'mk.cluster': 'dev', 'mk.role': 'worker', 'mk.node': 'dev-m02' });
  assert.deepEqual(cp.network, { name: 'mk-dev', ip: '10.244.0.2' });
  assert.deepEqual(cp.mounts, [
    { type: 'bind', source: '/pkg', target: '/opt/mk', readOnly: true },
    { type: 'volume', source: 'mk-dev', target: '/var/lib/mk' },
    { type: 'bind', source: '/run/docker.sock', target: '/var/run/docker.sock' },
  ]);
  // explicit host ports: Docker binds the same ones on every restart
  assert.deepEqual(cp.publish?.map((p) => [p.containerPort, p.hostIp, p.hostPort]), [[6443, '127.0.0.1', 40001], [80, '127.0.0.1', 40002], [443, '127.0.0.1', 40003]]);
  assert.throws(() => nodeSpec(o, { index: 1, name: 'dev', role: 'control-plane', ip: '10.244.0.2', podCIDR: '10.244.1.0/24' }, '10.244.0.2', 'mk-node:1'), /the control plane needs its host ports/);
  assert.equal(w.publish, undefined);
  assert.deepEqual(cp.capAdd, ['NET_ADMIN']);
  // what the agent is started with is what it parses
  const args = parseAgentArgs(w.cmd!.slice(2));
  assert.equal(w.cmd![1], '/opt/mk/src/agent/main.ts');
  assert.deepEqual(args, {
    role: 'worker', cluster: 'dev', nodeName: 'dev-m02', nodeIP: '10.244.0.3', podCIDR: '10.244.2.0/24', network: 'mk-dev',
    controlPlaneIP: '10.244.0.2', sandboxImage: 'mk-node:1', stateDir: '/var/lib/mk', port: 6443, serviceCIDR: '10.96.0.0/12', dnsIP: '10.96.0.10', proxyMode: 'iptables',
  });
  const userspace = nodeSpec({ ...o, proxyMode: 'userspace' }, { index: 2, name: 'dev-m02', role: 'worker', ip: '10.244.0.3', podCIDR: '10.244.2.0/24' }, '10.244.0.2', 'mk-node:1');
  assert.equal(parseAgentArgs(userspace.cmd!.slice(2)).proxyMode, 'userspace');
});

test('start options and agent argument errors', () => {
  assert.throws(() => startOptions({ nodes: 0, env: {} }), /--nodes must be between 1 and 99, not 0/);
  assert.throws(() => startOptions({ profile: 'Bad', env: {} }), /invalid profile name "Bad"/);
  assert.equal(startOptions({ env: { DOCKER_HOST: 'unix:///x/d.sock' } }).dockerSocket, '/x/d.sock');
  assert.throws(() => startOptions({ proxyMode: 'ipvs' as 'iptables', env: {} }), /--proxy-mode must be iptables or userspace, not "ipvs"/);
  assert.throws(() => parseAgentArgs(['--role', 'boss']), /--cluster is required|--role must be/);
  assert.throws(() => parseAgentArgs(['--role', 'boss', '--cluster', 'c', '--node-name', 'n', '--node-ip', 'i', '--pod-cidr', 'p', '--network', 'n', '--control-plane-ip', 'i', '--sandbox-image', 's']), /--role must be control-plane or worker, not "boss"/);
});
