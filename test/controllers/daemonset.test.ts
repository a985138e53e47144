// The DaemonSet controller against the in-process API server, with the scheduler binding its
// pods and the test playing kubelet: which nodes run the daemon (a table), a pod per node as
// nodes come, change and go, a rolling update within maxUnavailable, and kubectl's rollout
// status, history and undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/api/types.ts';
import { R } from '../../src/api/resources.ts';
import { shouldKeep, shouldRun } from '../../src/controllers/daemonset-util.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';
import { harness, node, pods, setReady, until, type Harness } from './harness.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

function ds(name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }], ...podSpec } }, ...spec },
  };
}

test('which nodes run the daemon: selector, affinity, taints, cordons', () => {
  const now = Date.now();
  const n = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({ ...node('n1', labels, now), spec });
  const noSchedule = { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
  const noExecute = { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] };
  const cases: { name: string; pod?: Record<string, unknown>; node: KubeObject; run: boolean; keep: boolean }[] = [
    { name: 'any node', node: n({}), run: true, keep: true },
    { name: 'a cordoned node (daemons tolerate unschedulable)', node: n({}, { unschedulable: true }), run: true, keep: true },
    { name: 'nodeSelector matches', pod: { nodeSelector: { disk: 'ssd' } }, node: n({ disk: 'ssd' }), run: true, keep: true },
    { name: 'nodeSelector does not', pod: { nodeSelector: { disk: 'ssd' } }, node: n({}), run: false, keep: false },
    { name: 'NoSchedule taint: no new pod, the old one stays', node: n({}, noSchedule), run: false, keep: true },
    { name: 'NoExecute taint: the pod goes', node: n({}, noExecute), run: false, keep: false },
    { name: 'tolerated taint', pod: { tolerations: [{ key: 'dedicated', operator: 'Exists' }] }, node: n({}, noExecute), run: true, keep: true },
    { name: 'not-ready taint: daemons tolerate it', node: n({}, { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), run: true, keep: true },
    // a node not Ready carries not-ready (Ready False) or unreachable (Unknown) taints, NoSchedule and NoExecute
    { name: 'a NotReady node: no new pod, the old one stays', node: node('n1', {}, now, false), run: false, keep: true },
    { name: 'an unreachable node: no new pod, the old one stays', node: { ...node('n1', {}, now), status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, run: false, keep: true },
    { name: 'a NotReady node and a daemon tolerating everything', pod: { tolerations: [{ operator: 'Exists' }] }, node: node('n1', {}, now, false), run: true, keep: true },
    { name: 'NoSchedule taint and a nodeSelector no longer matching: the pod goes', pod: { nodeSelector: { disk: 'ssd' } }, node: n({}, noSchedule), run: false, keep: false },
    {
      name: 'node affinity on a label',
      pod: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] } } } },
      node: n({ 'kubernetes.io/os': 'windows' }),
      run: false,
      keep: false,
    },
  ];
  for (const c of cases) {
    const d = ds('x', {}, c.pod);
    assert.deepEqual([shouldRun(d, c.node), shouldKeep(d, c.node)], [c.run, c.keep], c.name);
  }
});

const live = async (h: Harness) => (await pods(h.client)).filter((p) => !p.metadata.deletionTimestamp);
const isReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
const onNodes = async (h: Harness) => (await live(h)).filter((p) => p.spec.nodeName).map((p) => p.spec.nodeName as string).sort();

async function readyAll(h: Harness): Promise<void> {
  for (const p of await live(h)) if (p.spec.nodeName && !isReady(p)) await setReady(h.client, p, true, h.clock.now()).catch(() => undefined);
}

test('a pod on each node, bound there; a node added gets one, a node gone loses it', async () => {
  const h = await harness();
  try {
    for (const n of ['mk', 'mk-m02']) await h.client.create(R.nodes, undefined, node(n, {}, h.clock.now()));
    const created = await h.client.create(R.daemonsets, 'default', ds('agent'));
    await until('a pod per node', async () => JSON.stringify(await onNodes(h)) === '["mk","mk-m02"]');
    const p = (await live(h))[0]!;
    assert.match(p.metadata.name!, /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] }]);
    assert.deepEqual(p.spec.tolerations.map((t: { key: string }) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable']);
    assert.deepEqual(Object.keys(p.metadata.labels!).sort(), ['app', 'controller-revision-hash', 'pod-template-generation']);
    const st = await until('status', async () => {
      await readyAll(h);
      const s = (await h.client.get(R.daemonsets, 'default', 'agent')).status;
      return s?.numberAvailable === 2 && s;
    });
    assert.deepEqual(st, { currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2, observedGeneration: 1, updatedNumberScheduled: 2, numberAvailable: 2 });
    await h.client.create(R.nodes, undefined, node('mk-m03', {}, h.clock.now()));
    await until('the new node gets one', async () => JSON.stringify(await onNodes(h)) === '["mk","mk-m02","mk-m03"]');
    await h.client.delete(R.nodes, undefined, 'mk-m02');
    await until('the gone node loses it', async () => JSON.stringify((await pods(h.client)).map((x) => x.spec.nodeName).sort()) === '["mk","mk-m03"]');
    await h.ctl.whenIdle();
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('a daemon made again after delete --cascade=orphan adopts the pods it left, one per node, none added', async () => {
  const h = await harness();
  try {
    for (const n of ['mk', 'mk-m02']) await h.client.create(R.nodes, undefined, node(n, {}, h.clock.now()));
    await h.client.create(R.daemonsets, 'default', ds('agent'));
    await until('a pod per node', async () => JSON.stringify(await onNodes(h)) === '["mk","mk-m02"]');
    await readyAll(h);
    await h.client.delete(R.daemonsets, 'default', 'agent', { propagationPolicy: 'Orphan' });
    await until('pods orphaned', async () => (await live(h)).every((p) => !p.metadata.ownerReferences?.length) && (await h.client.list(R.daemonsets, { namespace: 'default' })).items.length === 0);
    const before = (await live(h)).map((p) => p.metadata.uid).sort();
    const again = await h.client.create(R.daemonsets, 'default', ds('agent'));
    await until('adopted', async () => (await live(h)).every((p) => p.metadata.ownerReferences?.[0]?.uid === again.metadata.uid));
    await until('status', async () => (await h.client.get(R.daemonsets, 'default', 'agent')).status?.numberAvailable === 2);
    await h.ctl.whenIdle();
    assert.deepEqual((await pods(h.client)).map((p) => p.metadata.uid).sort(), before, 'the same two pods, none made, none deleted');
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('a nodeSelector: pods come when a node gets the label and go when it loses it', async () => {
  const h = await harness();
  try {
    for (const n of ['mk', 'mk-m02']) await h.client.create(R.nodes, undefined, node(n, {}, h.clock.now()));
    await h.client.create(R.daemonsets, 'default', ds('ssd', {}, { nodeSelector: { disk: 'ssd' } }));
    await h.ctl.whenIdle();
    assert.equal((await live(h)).length, 0);
    const label = async (value?: string) => {
      const n = await h.client.get(R.nodes, undefined, 'mk-m02');
      const labels = { ...n.metadata.labels };
      if (value) labels.disk = value;
      else delete labels.disk;
      await h.client.update(R.nodes, undefined, 'mk-m02', { ...n, metadata: { ...n.metadata, labels } });
    };
    await label('ssd');
    await until('a pod on mk-m02', async () => JSON.stringify(await onNodes(h)) === '["mk-m02"]');
    await label();
    await until('gone again', async () => (await live(h)).length === 0);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('RollingUpdate replaces pods node by node, never more than maxUnavailable down; kubectl rollout reads it', async () => {
  const h = await harness();
  const home = mkdtempSync(join(tmpdir(), 'mk-ds-kubectl-'));
  saveClusterAccess({ profile: 'mk', server: h.api.url, caPem: h.api.caPem, token: h.api.token }, { path: join(home, 'config') });
  const kubectl = (...args: string[]) =>
    new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(KUBECTL, ['--kubeconfig', join(home, 'config'), '--cache-dir', join(home, 'cache'), ...args], { timeout: 30_000 }, (_e, stdout, stderr) => resolve({ stdout, stderr }));
    });
  try {
    for (const n of ['a', 'b', 'c']) await h.client.create(R.nodes, undefined, node(n, {}, h.clock.now()));
    await h.client.create(R.daemonsets, 'default', ds('agent'));
    const settled = async (image: string) =>
      until(`${image} everywhere`, async () => {
        const ps = await live(h);
        const s = (await h.client.get(R.daemonsets, 'default', 'agent')).status;
        // play kubelet one pod at a time, so the rollout has to wait for each
        const waiting = ps.find((p) => p.spec.nodeName && !isReady(p));
        if (waiting) await setReady(h.client, waiting, true, h.clock.now()).catch(() => undefined);
        const down = 3 - ps.filter((p) => p.spec.nodeName && isReady(p)).length;
        assert.ok(down <= 1, `${down} nodes without a ready daemon`);
        return ps.length === 3 && ps.every((p) => p.spec.containers[0].image === image && isReady(p)) && s?.updatedNumberScheduled === 3 && s?.numberAvailable === 3;
      });
    await settled('agent:1');
    if (existsSync(KUBECTL)) assert.equal((await kubectl('rollout', 'status', 'ds/agent', '--watch=false')).stdout, 'daemon set "agent" successfully rolled out\n');
    const cur = await h.client.get(R.daemonsets, 'default', 'agent');
    cur.spec.template.spec.containers[0].image = 'agent:2';
    await h.client.update(R.daemonsets, 'default', 'agent', cur);
    await settled('agent:2');
    if (existsSync(KUBECTL)) {
      const hist = await kubectl('rollout', 'history', 'ds/agent');
      assert.equal(hist.stdout, 'daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n', hist.stderr);
      assert.equal((await kubectl('rollout', 'undo', 'ds/agent')).stdout, 'daemonset.apps/agent rolled back\n');
      await settled('agent:1');
    }
    await h.ctl.whenIdle();
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
    rmSync(home, { recursive: true, force: true });
  }
});

test('status during a surge: the node counts as updated only once its oldest pod is the new one (kubectl rollout status waits for it)', async () => {
  const { daemonStatus, podsByNode } = await import('../../src/controllers/daemonset-util.ts');
  const now = Date.parse('2024-05-01T12:00:00Z');
  const d = { ...ds('x'), metadata: { name: 'x', namespace: 'default', generation: 2 } };
  const pod = (name: string, hash: string, created: string, ready: boolean): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: created, labels: { 'controller-revision-hash': hash } },
    spec: { nodeName: 'n1' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2024-05-01T11:00:00Z' }] },
  });
  const nodes = [node('n1', {}, now)];
  const cases: { what: string; pods: KubeObject[]; updated?: number; available?: number }[] = [
    { what: 'old ready, new not ready yet', pods: [pod('x-old', 'v1', '2024-05-01T10:00:00Z', true), pod('x-new', 'v2', '2024-05-01T11:59:00Z', false)], updated: undefined, available: 1 },
    { what: 'the new one alone', pods: [pod('x-new', 'v2', '2024-05-01T11:59:00Z', true)], updated: 1, available: 1 },
  ];
  for (const c of cases) {
    const st = daemonStatus(d, nodes, podsByNode(c.pods), 'v2', now);
    assert.deepEqual([st.updatedNumberScheduled, st.numberAvailable], [c.updated, c.available], c.what);
  }
});
