import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choose } from '../../src/controllers/scheduler.ts';
import { R } from '../../src/api/resources.ts';
import { harness, node, pods, until } from './harness.ts';

const pod = (name: string, nodeSelector?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeSelector ? { nodeSelector } : {}) },
});

test('choose: kube-scheduler messages when no node fits', () => {
  const now = Date.now();
  const cases: [string, ReturnType<typeof node>[], Record<string, string> | undefined, string][] = [
    ['selector', [node('a', {}, now), node('b', {}, now)], { gpu: 'true' }, "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."],
    // a node not Ready is tainted (node.kubernetes.io/not-ready, or unreachable when Unknown); TaintToleration filters before NodeAffinity
    ['not ready + selector', [node('a', {}, now, false), node('b', {}, now)], { gpu: 'true' }, "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."],
    ['unreachable', [{ ...node('a', {}, now), status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }], undefined, '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'],
    ['tainted and not matching: the taint is said', [{ ...node('a', {}, now), spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }], { gpu: 'true' }, '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'],
    ['no nodes', [], undefined, '0/0 nodes are available.'],
  ];
  for (const [name, nodes, sel, want] of cases) assert.equal(choose(pod('p', sel), nodes, []).message, want, name);
});

test('choose: required node affinity (labels and metadata.name) and taints against tolerations', () => {
  const now = Date.now();
  const tainted = (name: string, taints: unknown[]) => ({ ...node(name, { zone: name === 'a' ? 'x' : 'y' }, now), spec: { taints } });
  const nodes = [tainted('a', []), tainted('b', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }])];
  const onNode = (name: string) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] }] } } });
  const cases: { name: string; spec: Record<string, unknown>; node?: string; message?: string }[] = [
    { name: 'matchFields picks a', spec: { affinity: onNode('a') }, node: 'a' },
    { name: 'matchFields b, untolerated taint', spec: { affinity: onNode('b') }, message: "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling." },
    { name: 'matchFields b, tolerated by key', spec: { affinity: onNode('b'), tolerations: [{ key: 'dedicated', operator: 'Exists' }] }, node: 'b' },
    { name: 'tolerated by key and value', spec: { affinity: onNode('b'), tolerations: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }, node: 'b' },
    { name: 'a toleration of another value does not cover it', spec: { affinity: onNode('b'), tolerations: [{ key: 'dedicated', value: 'cpu' }] }, message: "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling." },
    { name: 'matchExpressions NotIn', spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['x'] }] }] } } }, tolerations: [{ operator: 'Exists' }] }, node: 'b' },
  ];
  for (const c of cases) {
    const got = choose({ ...pod('p'), spec: { ...pod('p').spec, ...c.spec } }, nodes, []);
    assert.deepEqual(got, c.node ? { node: c.node } : { message: c.message }, c.name);
  }
});

test('scheduler: nodeSelector, FailedScheduling then retry when a node is labelled, spreading', async () => {
  const h = await harness();
  try {
    const now = h.clock.now();
    await h.client.create(R.nodes, undefined, node('mk', {}, now));
    await h.client.create(R.nodes, undefined, node('mk-m02', {}, now));
    await h.client.create(R.pods, 'default', pod('gpu-pod', { gpu: 'true' }));
    const failed = await until('FailedScheduling', async () => {
      const evs = (await h.client.list(R.events, { namespace: 'default' })).items;
      return evs.find((e) => e.reason === 'FailedScheduling');
    });
    assert.equal(failed.type, 'Warning');
    assert.match(failed.message, /^0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector\./);
    const p = await h.client.get(R.pods, 'default', 'gpu-pod');
    assert.deepEqual(
      p.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]),
      [['PodScheduled', 'False', 'Unschedulable']],
    );
    const n2 = await h.client.get(R.nodes, undefined, 'mk-m02');
    await h.client.update(R.nodes, undefined, 'mk-m02', { ...n2, metadata: { ...n2.metadata, labels: { ...n2.metadata.labels, gpu: 'true' } } });
    const bound = await until('bound', async () => {
      const cur = await h.client.get(R.pods, 'default', 'gpu-pod');
      return cur.spec.nodeName && cur.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'PodScheduled' && c.status === 'True') && cur;
    });
    assert.equal(bound.spec.nodeName, 'mk-m02');
    await until('Scheduled event', async () =>
      (await h.client.list(R.events, { namespace: 'default' })).items.find((e) => e.reason === 'Scheduled' && e.message === 'Successfully assigned default/gpu-pod to mk-m02'),
    );
    // A ReplicaSet of 4 spreads 2 + 2 although mk-m02 already holds a pod.
    await h.client.create(R.replicasets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const placed = await until('4 web pods bound', async () => {
      const ps = (await pods(h.client)).filter((x) => x.metadata.labels?.app === 'web');
      return ps.length === 4 && ps.every((x) => x.spec.nodeName) && ps;
    });
    const perNode: Record<string, number> = {};
    for (const x of placed) perNode[x.spec.nodeName] = (perNode[x.spec.nodeName] ?? 0) + 1;
    assert.deepEqual(perNode, { mk: 2, 'mk-m02': 2 });
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('node lifecycle: no heartbeat for longer than the grace period -> Ready Unknown', async () => {
  const h = await harness({ nodeGracePeriodMs: 40_000 });
  try {
    await h.client.create(R.nodes, undefined, node('mk', {}, h.clock.now()));
    await until('node seen', async () => h.ctl.informers.for(R.nodes).get(undefined, 'mk'));
    await h.ctl.whenIdle();
    h.clock.advance(39_000);
    await h.ctl.whenIdle();
    const still = await h.client.get(R.nodes, undefined, 'mk');
    assert.equal(still.status.conditions[0].status, 'True');
    h.clock.advance(2_000);
    const gone = await until('Ready Unknown', async () => {
      const n = await h.client.get(R.nodes, undefined, 'mk');
      return n.status.conditions[0].status === 'Unknown' && n;
    });
    const c = gone.status.conditions[0];
    assert.deepEqual([c.type, c.status, c.reason, c.message], ['Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});
