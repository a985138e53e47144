// The StatefulSet controller against the in-process API server, the test playing kubelet (it
// marks pods ready): ordered and parallel creation, identities, scale-down order, rolling updates
// with a partition and OnDelete, ControllerRevisions, and real kubectl's rollout status, history
// and undo on what the controller leaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/api/types.ts';
import { R } from '../../src/api/resources.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';
import { harness, node, pods, setReady, until, type Harness } from './harness.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

function sts(name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: 'nginx',
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } },
      ...extra,
    },
  };
}

const isReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
const live = async (h: Harness) => (await pods(h.client)).filter((p) => !p.metadata.deletionTimestamp);
const names = (ps: KubeObject[]) => ps.map((p) => p.metadata.name!).sort();

/** Plays kubelet for one pod: the first one not ready, if any. */
async function readyOne(h: Harness): Promise<void> {
  const p = (await live(h)).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1)).find((x) => !isReady(x));
  if (p) await setReady(h.client, p, true, h.clock.now()).catch(() => undefined);
}

async function patchSpec(h: Harness, name: string, f: (spec: any) => void): Promise<void> {
  const cur = await h.client.get(R.statefulsets, 'default', name);
  f(cur.spec);
  await h.client.update(R.statefulsets, 'default', name, cur);
}

test('OrderedReady: web-1 is created only once web-0 runs and is ready; identities as the DNS spec needs them', async () => {
  const h = await harness();
  try {
    const set = await h.client.create(R.statefulsets, 'default', sts('web', 3));
    const seen: string[][] = [];
    await until('3 ready pods', async () => {
      const ps = await live(h);
      const n = names(ps);
      if (JSON.stringify(seen.at(-1)) !== JSON.stringify(n)) seen.push(n);
      if (ps.length === 3 && ps.every(isReady)) return true;
      await readyOne(h);
      return false;
    });
    // never a pod before the one below it was ready
    assert.deepEqual(seen.filter((s) => s.length > 0), [['web-0'], ['web-0', 'web-1'], ['web-0', 'web-1', 'web-2']]);
    const web1 = (await live(h)).find((p) => p.metadata.name === 'web-1')!;
    const rev = web1.metadata.labels!['controller-revision-hash']!;
    assert.match(rev, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.deepEqual(web1.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': rev });
    assert.deepEqual([web1.spec.hostname, web1.spec.subdomain], ['web-1', 'nginx']);
    assert.deepEqual(web1.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const st = await until('status', async () => {
      const s = (await h.client.get(R.statefulsets, 'default', 'web')).status;
      return s?.readyReplicas === 3 && s;
    });
    assert.deepEqual(st, { observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, currentRevision: rev, updateRevision: rev, collisionCount: 0 });
    const crs = (await h.client.list(R.controllerrevisions, { namespace: 'default' })).items;
    assert.deepEqual(crs.map((c) => [c.metadata.name, c.revision, c.metadata.ownerReferences?.[0]?.name]), [[rev, 1, 'web']]);
    assert.equal(crs[0]!.data.spec.template.$patch, 'replace');
    await h.ctl.whenIdle();
    const events = (await h.client.list(R.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.kind === 'StatefulSet').map((e) => e.message);
    assert.deepEqual(events, ['create Pod web-0 in StatefulSet web successful', 'create Pod web-1 in StatefulSet web successful', 'create Pod web-2 in StatefulSet web successful']);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

const scalings: { name: string; policy: string; terminatingFirst: string[] }[] = [
  { name: 'OrderedReady takes the highest ordinal first and the next only once it is gone', policy: 'OrderedReady', terminatingFirst: ['web-2'] },
  { name: 'Parallel takes every condemned pod at once', policy: 'Parallel', terminatingFirst: ['web-1', 'web-2'] },
];

for (const c of scalings) {
  test(`scale 3 -> 1: ${c.name}`, async () => {
    const h = await harness();
    try {
      // pods on a node are deleted gracefully: they stay, terminating, until their kubelet removes them
      await h.client.create(R.nodes, undefined, node('n1', {}, h.clock.now()));
      await h.client.create(R.statefulsets, 'default', sts('web', 3, { podManagementPolicy: c.policy }));
      if (c.policy === 'Parallel') await until('all pods at once', async () => (await live(h)).length === 3);
      await until('all ready', async () => {
        const ps = await live(h);
        if (ps.length === 3 && ps.every(isReady)) return true;
        await readyOne(h);
        return false;
      });
      await patchSpec(h, 'web', (s) => (s.replicas = 1));
      const terminating = async () => names((await pods(h.client)).filter((p) => p.metadata.deletionTimestamp));
      await until('first deletions', async () => (await terminating()).length > 0);
      await h.ctl.whenIdle();
      assert.deepEqual(await terminating(), c.terminatingFirst);
      // play kubelet: the terminating pods finish; OrderedReady then takes web-1
      for (;;) {
        const gone = await terminating();
        if (gone.length === 0 && names(await pods(h.client)).length === 1) break;
        for (const n of gone) await h.client.delete(R.pods, 'default', n, { gracePeriodSeconds: 0 }).catch(() => undefined);
        await h.ctl.whenIdle();
      }
      assert.deepEqual(names(await pods(h.client)), ['web-0']);
      assert.deepEqual(h.errors, []);
    } finally {
      await h.close();
    }
  });
}

/** Brings every pod up, then returns the revision label of each, by name. */
async function settle(h: Harness, want: number): Promise<Record<string, string>> {
  await until('settled', async () => {
    const ps = await live(h);
    if (ps.length === want && ps.every(isReady)) {
      const s = (await h.client.get(R.statefulsets, 'default', 'web')).status;
      await h.ctl.whenIdle();
      return s?.readyReplicas === want;
    }
    await readyOne(h);
    return false;
  });
  return Object.fromEntries((await live(h)).map((p) => [p.metadata.name, p.metadata.labels!['controller-revision-hash']]));
}

test('RollingUpdate with a partition updates the pods at or above it, from the highest; partition 0 finishes', async () => {
  const h = await harness();
  try {
    await h.client.create(R.statefulsets, 'default', sts('web', 3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    const v1 = await settle(h, 3);
    await patchSpec(h, 'web', (s) => (s.template.spec.containers[0].image = 'nginx:2'));
    const v2name = await until('update revision', async () => {
      const s = (await h.client.get(R.statefulsets, 'default', 'web')).status;
      return s?.updateRevision !== v1['web-0'] && s?.updateRevision;
    });
    const after = await settle(h, 3);
    assert.deepEqual(after, { 'web-0': v1['web-0'], 'web-1': v2name, 'web-2': v2name });
    const images = Object.fromEntries((await live(h)).map((p) => [p.metadata.name, p.spec.containers[0].image]));
    assert.deepEqual(images, { 'web-0': 'nginx:1', 'web-1': 'nginx:2', 'web-2': 'nginx:2' });
    let st = (await h.client.get(R.statefulsets, 'default', 'web')).status;
    assert.deepEqual([st.currentReplicas, st.updatedReplicas, st.currentRevision, st.updateRevision], [1, 2, v1['web-0'], v2name]);
    await patchSpec(h, 'web', (s) => (s.updateStrategy.rollingUpdate.partition = 0));
    await until('all updated', async () => {
      await readyOne(h);
      st = (await h.client.get(R.statefulsets, 'default', 'web')).status;
      return st.currentRevision === v2name && st.updatedReplicas === 3 && st.readyReplicas === 3;
    });
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('OnDelete leaves pods alone until one is deleted; it comes back at the new revision', async () => {
  const h = await harness();
  try {
    await h.client.create(R.statefulsets, 'default', sts('web', 2, { updateStrategy: { type: 'OnDelete' } }));
    const v1 = await settle(h, 2);
    await patchSpec(h, 'web', (s) => (s.template.spec.containers[0].image = 'nginx:2'));
    const v2 = await until('update revision', async () => {
      const s = (await h.client.get(R.statefulsets, 'default', 'web')).status;
      return s?.updateRevision !== v1['web-0'] && s?.updateRevision;
    });
    await h.ctl.whenIdle();
    assert.deepEqual(await settle(h, 2), v1);
    await h.client.delete(R.pods, 'default', 'web-1');
    await until('web-1 back', async () => (await live(h)).find((p) => p.metadata.name === 'web-1' && p.metadata.labels?.['controller-revision-hash'] === v2));
    assert.deepEqual(await settle(h, 2), { 'web-0': v1['web-0'], 'web-1': v2 });
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('a set made again after delete --cascade=orphan adopts its pods, replaces the missing one, removes the extra one; others are left alone', async () => {
  const h = await harness();
  try {
    await h.client.create(R.statefulsets, 'default', sts('web', 3));
    await settle(h, 3);
    await h.client.delete(R.statefulsets, 'default', 'web', { propagationPolicy: 'Orphan' });
    await until('pods orphaned', async () => (await live(h)).every((p) => !p.metadata.ownerReferences?.length) && (await h.client.list(R.statefulsets, { namespace: 'default' })).items.length === 0);
    await h.client.delete(R.pods, 'default', 'web-0', { gracePeriodSeconds: 0 });
    const loose = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } });
    await h.client.create(R.pods, 'default', loose('other-0', { app: 'web' })); // not one of web's names
    await h.client.create(R.pods, 'default', loose('web-7', { app: 'else' })); // web's name, not its labels
    const before = Object.fromEntries((await live(h)).map((p) => [p.metadata.name, p.metadata.uid]));
    const set = await h.client.create(R.statefulsets, 'default', sts('web', 2));
    await until('web-2 deleted', async () => { await readyOne(h); return !(await live(h)).some((p) => p.metadata.name === 'web-2'); });
    await until('web ready again', async () => ((await h.client.get(R.statefulsets, 'default', 'web')).status?.readyReplicas === 2 ? true : (await readyOne(h), false)));
    await h.ctl.whenIdle();
    const after = await live(h);
    const owner = (name: string) => after.find((p) => p.metadata.name === name)?.metadata.ownerReferences?.map((r: { uid: string }) => r.uid === set.metadata.uid ? 'web' : r.uid) ?? [];
    assert.deepEqual(names(after), ['other-0', 'web-0', 'web-1', 'web-7']);
    assert.equal(after.find((p) => p.metadata.name === 'web-1')!.metadata.uid, before['web-1'], 'web-1 is the same pod, adopted');
    assert.deepEqual(['web-0', 'web-1', 'other-0', 'web-7'].map(owner), [['web'], ['web'], [], []]);
    // relabelled out of the selector: released, as ClaimPods releases it
    await h.client.patch(R.pods, 'default', 'web-1', { metadata: { labels: { app: 'gone' } } }, 'merge');
    await until('web-1 released', async () => ((await h.client.get(R.pods, 'default', 'web-1')).metadata.ownerReferences ?? []).length === 0);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('kubectl rollout status, history and undo read and restore the StatefulSet\'s revisions', { skip: !existsSync(KUBECTL) && 'kubectl 1.33 not installed' }, async () => {
  const h = await harness();
  const home = mkdtempSync(join(tmpdir(), 'mk-sts-kubectl-'));
  saveClusterAccess({ profile: 'mk', server: h.api.url, caPem: h.api.caPem, token: h.api.token }, { path: join(home, 'config') });
  const kubectl = (...args: string[]) =>
    new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(KUBECTL, ['--kubeconfig', join(home, 'config'), '--cache-dir', join(home, 'cache'), ...args], { timeout: 30_000 }, (_e, stdout, stderr) => resolve({ stdout, stderr }));
    });
  try {
    await h.client.create(R.statefulsets, 'default', sts('web', 2));
    await settle(h, 2);
    assert.equal((await kubectl('rollout', 'status', 'sts/web', '--watch=false')).stdout, 'partitioned roll out complete: 2 new pods have been updated...\n');
    await patchSpec(h, 'web', (s) => (s.template.spec.containers[0].image = 'nginx:2'));
    await until('v2 everywhere', async () => {
      await readyOne(h);
      const ps = await live(h);
      return ps.length === 2 && ps.every((p) => p.spec.containers[0].image === 'nginx:2' && isReady(p));
    });
    const history = await kubectl('rollout', 'history', 'sts/web');
    assert.equal(history.stdout, 'statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n', history.stderr);
    const undo = await kubectl('rollout', 'undo', 'sts/web');
    assert.equal(undo.stdout, 'statefulset.apps/web rolled back\n', undo.stderr);
    await until('v1 again', async () => {
      await readyOne(h);
      const ps = await live(h);
      return ps.length === 2 && ps.every((p) => p.spec.containers[0].image === 'nginx:1' && isReady(p));
    });
    const revs = (await h.client.list(R.controllerrevisions, { namespace: 'default' })).items.map((c) => c.revision).sort();
    assert.deepEqual(revs, [2, 3]); // revision 1 came back as 3
    assert.equal((await kubectl('rollout', 'history', 'sts/web')).stdout, 'statefulset.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
    rmSync(home, { recursive: true, force: true });
  }
});

const claimTemplate = [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];

const retention: { name: string; policy?: Record<string, string>; ownedBySet: boolean; afterScaleDown: string[] }[] = [
  { name: 'Retain (the default): claims stay after scale-down, owned by nobody', ownedBySet: false, afterScaleDown: ['www-web-0', 'www-web-1'] },
  { name: 'whenDeleted Delete, whenScaled Delete: owned by the set; a condemned pod takes its claim', policy: { whenDeleted: 'Delete', whenScaled: 'Delete' }, ownedBySet: true, afterScaleDown: ['www-web-0'] },
];

for (const c of retention) {
  test(`volumeClaimTemplates: a claim per pod, made before it and mounted in it; ${c.name}`, async () => {
    const h = await harness();
    try {
      const set = await h.client.create(R.statefulsets, 'default', sts('web', 2, { volumeClaimTemplates: claimTemplate, ...(c.policy ? { persistentVolumeClaimRetentionPolicy: c.policy } : {}) }));
      await settle(h, 2);
      const claims = (await h.client.list(R.persistentvolumeclaims, { namespace: 'default' })).items;
      assert.deepEqual(claims.map((x) => x.metadata.name).sort(), ['www-web-0', 'www-web-1']);
      const claim = claims.find((x) => x.metadata.name === 'www-web-1')!;
      assert.deepEqual([claim.metadata.labels, claim.spec.accessModes, claim.spec.resources.requests.storage], [{ app: 'web' }, ['ReadWriteOnce'], '1Gi']);
      assert.deepEqual(claim.metadata.ownerReferences?.map((o) => o.uid) ?? [], c.ownedBySet ? [set.metadata.uid] : []);
      const web1 = (await live(h)).find((p) => p.metadata.name === 'web-1')!;
      assert.deepEqual(web1.spec.volumes.find((v: { name: string }) => v.name === 'www'), { name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });
      await patchSpec(h, 'web', (s) => (s.replicas = 1));
      await until('web-1 gone', async () => (await live(h)).length === 1);
      await until('claims', async () => JSON.stringify((await h.client.list(R.persistentvolumeclaims, { namespace: 'default' })).items.filter((x) => !x.metadata.deletionTimestamp).map((x) => x.metadata.name).sort()) === JSON.stringify(c.afterScaleDown));
      assert.deepEqual(h.errors, []);
    } finally {
      await h.close();
    }
  });
}

test('status counts as computeReplicaStatus does: a terminating pod is still a replica (ready, available) but neither current nor updated; availableReplicas 0 is written', async () => {
  const { setStatus } = await import('../../src/controllers/statefulset-util.ts');
  const set = { ...sts('web', 2), metadata: { name: 'web', namespace: 'default', generation: 2 } };
  const now = Date.parse('2024-05-01T12:00:00Z');
  const pod = (name: string, rev: string, o: { ready?: boolean; terminating?: boolean; phase?: string } = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'controller-revision-hash': rev }, ...(o.terminating ? { deletionTimestamp: '2024-05-01T11:59:59Z' } : {}) },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: '2024-05-01T11:00:00Z' }] },
  });
  const cases: { what: string; pods: KubeObject[]; want: Record<string, unknown> }[] = [
    {
      what: 'scaled 3 to 2, web-2 still terminating',
      pods: [pod('web-0', 'r1'), pod('web-1', 'r1'), pod('web-2', 'r1', { terminating: true })],
      want: { replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 2, updatedReplicas: 2, currentRevision: 'r1', updateRevision: 'r1' },
    },
    {
      what: 'rolling r1 to r2, web-1 replaced and terminating: the update is not complete',
      pods: [pod('web-0', 'r2'), pod('web-1', 'r1', { terminating: true })],
      want: { replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r2' },
    },
    {
      what: 'none ready yet; a pod not of the set is not counted',
      pods: [pod('web-0', 'r1', { ready: false, phase: 'Pending' }), pod('other', 'r1')],
      want: { replicas: 1, availableReplicas: 0, currentReplicas: 1, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r1' },
    },
  ];
  for (const c of cases) {
    const rev = c.want.updateRevision as string;
    const got = setStatus(set, c.pods, 'r1', rev, 0, now);
    assert.deepEqual(got, { observedGeneration: 2, collisionCount: 0, ...c.want }, c.what);
  }
});

test('scale 3 -> 1 under OrderedReady while web-1 is not ready: web-2 goes, then web-1 (a condemned pod that is not ready does not hold the scale-down)', async () => {
  const h = await harness();
  try {
    await h.client.create(R.nodes, undefined, node('n1', {}, h.clock.now())); // graceful deletion: pods stay until their kubelet is done
    await h.client.create(R.statefulsets, 'default', sts('web', 3));
    await settle(h, 3);
    await setReady(h.client, await h.client.get(R.pods, 'default', 'web-1'), false, h.clock.now());
    await h.ctl.whenIdle();
    await patchSpec(h, 'web', (s) => (s.replicas = 1));
    const terminating = async () => names((await pods(h.client)).filter((p) => p.metadata.deletionTimestamp));
    for (const want of [['web-2'], ['web-1']]) {
      await until(`${want} terminating`, async () => JSON.stringify(await terminating()) === JSON.stringify(want));
      await h.client.delete(R.pods, 'default', want[0]!, { gracePeriodSeconds: 0 }); // play kubelet
      await h.ctl.whenIdle();
    }
    await until('web-0 alone', async () => JSON.stringify(names(await pods(h.client))) === '["web-0"]');
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});
