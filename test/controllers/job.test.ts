// The Job and TTL-after-finished controllers against the in-process API server, the test playing
// kubelet (it ends pods Succeeded or Failed) and moving the fake clock for back-offs and
// deadlines; real kubectl waits for the conditions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/api/types.ts';
import { R } from '../../src/api/resources.ts';
import { formatIndexes, parseIndexes } from '../../src/controllers/job-util.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';
import { harness, pods, until, type Harness } from './harness.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

function job(name: string, spec: Record<string, unknown>, restartPolicy = 'Never'): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { ...spec, template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } } } };
}

const active = async (h: Harness) => (await pods(h.client)).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
const getJob = (h: Harness, name: string) => h.client.get(R.jobs, 'default', name);
const conds = (j: KubeObject) => (j.status?.conditions ?? []).map((c: { type: string; reason: string }) => `${c.type}:${c.reason}`);

/** Plays kubelet: the pod ends in `phase`. */
async function end(h: Harness, pod: KubeObject, phase: 'Succeeded' | 'Failed'): Promise<void> {
  // the controllers may write the pod between the read and the write (a Conflict): read again
  await until(`${pod.metadata.name} ${phase}`, async () => {
    const cur = await h.client.get(R.pods, 'default', pod.metadata.name!);
    await h.client.update(R.pods, 'default', cur.metadata.name!, { ...cur, status: { ...cur.status, phase } }, { subresource: 'status' });
    return true;
  });
}

test('restartPolicy OnFailure: restarts of running and pending pods count toward backoffLimit, a terminating one too (pastBackoffLimitOnFailure)', async () => {
  const { pastBackoffLimit } = await import('../../src/controllers/job-util.ts');
  const j = { ...job('j', { backoffLimit: 2 }, 'OnFailure') };
  const pod = (phase: string, restarts: number, terminating = false): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...(terminating ? { deletionTimestamp: '2024-05-01T12:00:00Z' } : {}) },
    status: { phase, containerStatuses: [{ name: 'c', restartCount: restarts }] },
  });
  const cases: [string, KubeObject[], boolean][] = [
    ['one restart', [pod('Running', 1)], false],
    ['two restarts over two pods', [pod('Running', 1), pod('Pending', 1)], true],
    ['a terminating pod still counts', [pod('Running', 1), pod('Running', 1, true)], true],
    ['a finished pod does not', [pod('Running', 1), pod('Succeeded', 5)], false],
  ];
  for (const [what, pods, want] of cases) assert.equal(pastBackoffLimit(j, 0, pods), want, what);
});

test('completedIndexes are written as ranges', () => {
  const cases: [number[], string][] = [[[], ''], [[0], '0'], [[0, 1, 2], '0-2'], [[4, 0, 2, 1], '0-2,4'], [[1, 3, 5, 6], '1,3,5-6']];
  for (const [ixs, text] of cases) {
    assert.equal(formatIndexes(ixs), text);
    assert.deepEqual([...parseIndexes(text)].sort(), [...new Set(ixs)].sort());
  }
});

test('completions 3, parallelism 2: two pods at a time, Complete after three succeed; kubectl wait returns', async () => {
  const h = await harness();
  const home = mkdtempSync(join(tmpdir(), 'mk-job-kubectl-'));
  saveClusterAccess({ profile: 'mk', server: h.api.url, caPem: h.api.caPem, token: h.api.token }, { path: join(home, 'config') });
  try {
    const created = await h.client.create(R.jobs, 'default', job('work', { completions: 3, parallelism: 2 }));
    const waited = existsSync(KUBECTL)
      ? new Promise<{ code: number; out: string }>((resolve) =>
          execFile(KUBECTL, ['--kubeconfig', join(home, 'config'), '--cache-dir', join(home, 'cache'), 'wait', '--for=condition=complete', 'job/work', '--timeout=60s'], (e, out) => resolve({ code: e ? 1 : 0, out })))
      : undefined;
    let most = 0;
    for (let done = 0; done < 3; ) {
      const running = await until('a pod to run', async () => {
        const ps = await active(h);
        return ps.length > 0 && ps.length === Math.min(2, 3 - done) && ps;
      });
      most = Math.max(most, running.length);
      await end(h, running[0]!, 'Succeeded');
      done++;
    }
    assert.equal(most, 2);
    const j = await until('Complete', async () => {
      const cur = await getJob(h, 'work');
      return conds(cur).includes('Complete:CompletionsReached') && cur;
    });
    assert.deepEqual(conds(j), ['SuccessCriteriaMet:CompletionsReached', 'Complete:CompletionsReached']);
    assert.deepEqual([j.status.succeeded, j.status.active, j.status.failed, j.status.ready, j.status.uncountedTerminatedPods], [3, undefined, undefined, 0, {}]);
    assert.ok(j.status.startTime && j.status.completionTime);
    const all = await pods(h.client);
    assert.equal(all.length, 3);
    for (const p of all) {
      assert.match(p.metadata.name!, /^work-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(p.metadata.finalizers ?? [], [], 'counted pods lose the tracking finalizer');
      assert.equal(p.metadata.labels!['batch.kubernetes.io/job-name'], 'work');
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    if (waited) assert.deepEqual(await waited, { code: 0, out: 'job.batch/work condition met\n' });
    await h.ctl.whenIdle();
    const events = (await h.client.list(R.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.kind === 'Job').map((e) => e.reason);
    assert.deepEqual(events.filter((r) => r !== 'SuccessfulCreate'), ['Completed']);
    assert.equal(events.filter((r) => r === 'SuccessfulCreate').length, 3);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
    rmSync(home, { recursive: true, force: true });
  }
});

const failures: { name: string; spec: Record<string, unknown>; fail: (h: Harness) => Promise<void>; reason: string }[] = [
  {
    name: 'backoffLimit 1: the second failure fails the Job, after a 10 s back-off',
    spec: { backoffLimit: 1 },
    reason: 'BackoffLimitExceeded',
    async fail(h) {
      const [first] = await until('first pod', async () => (await active(h)).length === 1 && active(h));
      await end(h, first!, 'Failed');
      await until('failure counted', async () => (await getJob(h, 'j')).status?.failed === 1);
      await h.ctl.whenIdle();
      assert.equal((await active(h)).length, 0, 'no new pod before the back-off');
      h.clock.advance(10_000);
      const [second] = await until('second pod', async () => (await active(h)).length === 1 && active(h));
      await end(h, second!, 'Failed');
    },
  },
  {
    name: 'activeDeadlineSeconds: the running pod goes and the Job fails when the deadline passes',
    spec: { activeDeadlineSeconds: 30 },
    reason: 'DeadlineExceeded',
    async fail(h) {
      await until('a pod', async () => (await active(h)).length === 1);
      await h.ctl.whenIdle();
      h.clock.advance(31_000);
    },
  },
  {
    name: 'podFailurePolicy FailJob on exit code 42: the first such failure fails the Job at once',
    spec: { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } },
    reason: 'PodFailurePolicy',
    async fail(h) {
      const [first] = await until('first pod', async () => (await active(h)).length === 1 && active(h));
      await exitWith(h, first!, 42);
    },
  },
];

/** Plays kubelet: the pod's container exited with `code`, so the pod Failed. */
async function exitWith(h: Harness, pod: KubeObject, code: number): Promise<void> {
  const cur = await h.client.get(R.pods, 'default', pod.metadata.name!);
  const containerStatuses = [{ name: 'c', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { terminated: { exitCode: code, reason: 'Error' } } }];
  await h.client.update(R.pods, 'default', cur.metadata.name!, { ...cur, status: { ...cur.status, phase: 'Failed', containerStatuses } }, { subresource: 'status' });
}

const WARNINGS: Record<string, string> = {
  DeadlineExceeded: 'Job was active longer than specified deadline',
  BackoffLimitExceeded: 'Job has reached the specified backoff limit',
};

for (const c of failures) {
  test(c.name, async () => {
    const h = await harness();
    try {
      await h.client.create(R.jobs, 'default', job('j', c.spec));
      await c.fail(h);
      const j = await until('Failed', async () => {
        const cur = await getJob(h, 'j');
        return conds(cur).includes(`Failed:${c.reason}`) && cur;
      });
      assert.deepEqual(conds(j), [`FailureTarget:${c.reason}`, `Failed:${c.reason}`]);
      assert.equal(j.status.completionTime, undefined);
      assert.equal((await active(h)).length, 0);
      await h.ctl.whenIdle();
      const warn = (await h.client.list(R.events, { namespace: 'default' })).items.filter((e) => e.type === 'Warning' && e.involvedObject?.kind === 'Job');
      const message = WARNINGS[c.reason] ?? `Container c for pod default/${(await pods(h.client))[0]?.metadata.name} failed with exit code 42 matching FailJob rule at index 0`;
      assert.deepEqual(warn.map((e) => [e.reason, e.message]), [[c.reason, message]]);
      assert.deepEqual(h.errors, []);
    } finally {
      await h.close();
    }
  });
}

test('podFailurePolicy Ignore on exit code 137: the failure is not counted and the pod is replaced at once', async () => {
  const h = await harness();
  try {
    await h.client.create(R.jobs, 'default', job('j', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [137] } }] } }));
    const [p] = await until('a pod', async () => (await active(h)).length === 1 && active(h));
    await exitWith(h, p!, 137);
    const [next] = await until('a new pod', async () => {
      const ps = await active(h);
      return ps.length === 1 && ps[0]!.metadata.name !== p!.metadata.name && ps;
    });
    assert.ok(next);
    const j = await getJob(h, 'j');
    assert.equal(j.status?.failed, undefined);
    assert.deepEqual(conds(j), []);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('a pod deleted while it runs counts as failed (the finalizer keeps it until counted), and is replaced', async () => {
  const h = await harness();
  try {
    await h.client.create(R.jobs, 'default', job('j', { backoffLimit: 3 }));
    const [p] = await until('a pod', async () => (await active(h)).length === 1 && active(h));
    assert.deepEqual(p!.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    await h.client.delete(R.pods, 'default', p!.metadata.name!, { gracePeriodSeconds: 0 });
    await until('counted and gone', async () => (await getJob(h, 'j')).status?.failed === 1 && !(await pods(h.client)).some((x) => x.metadata.name === p!.metadata.name));
    h.clock.advance(10_000);
    await until('replaced', async () => (await active(h)).length === 1);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('podReplacementPolicy Failed: no replacement while the deleted pod is still terminating; one once it is gone', async () => {
  const h = await harness();
  try {
    const j = job('j', { backoffLimit: 3, podReplacementPolicy: 'Failed' });
    j.spec.template.spec.nodeName = 'n1'; // bound: deleting it is graceful, the pod stays until its kubelet is done
    await h.client.create(R.jobs, 'default', j);
    const [p] = await until('a pod', async () => (await active(h)).length === 1 && active(h));
    await h.client.delete(R.pods, 'default', p!.metadata.name!);
    await until('terminating', async () => (await getJob(h, 'j')).status?.terminating === 1);
    h.clock.advance(60_000);
    await h.ctl.whenIdle();
    assert.deepEqual((await active(h)).length, 0, 'a replacement beside the terminating pod');
    await h.client.delete(R.pods, 'default', p!.metadata.name!, { gracePeriodSeconds: 0 }); // its kubelet is done
    await until('gone', async () => !(await pods(h.client)).some((x) => x.metadata.name === p!.metadata.name));
    h.clock.advance(60_000);
    await until('replaced', async () => (await active(h)).length === 1);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('Indexed: one pod per completion index, named and numbered; completedIndexes 0-2', async () => {
  const h = await harness();
  try {
    await h.client.create(R.jobs, 'default', job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const ps = await until('3 pods', async () => (await active(h)).length === 3 && active(h));
    const byIndex = Object.fromEntries(ps.map((p) => [p.metadata.annotations!['batch.kubernetes.io/job-completion-index'], p]));
    assert.deepEqual(Object.keys(byIndex).sort(), ['0', '1', '2']);
    assert.match(byIndex['1']!.metadata.name!, /^idx-1-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(byIndex['1']!.spec.hostname, 'idx-1');
    assert.deepEqual(byIndex['1']!.spec.containers[0].env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
    for (const p of ps) await end(h, p, 'Succeeded');
    const j = await until('Complete', async () => {
      const cur = await getJob(h, 'idx');
      return conds(cur).includes('Complete:CompletionsReached') && cur;
    });
    assert.deepEqual([j.status.completedIndexes, j.status.succeeded], ['0-2', 3]);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('suspend stops the pods; resuming starts them again; ttlSecondsAfterFinished deletes the Job', async () => {
  const h = await harness();
  try {
    await h.client.create(R.jobs, 'default', job('s', { ttlSecondsAfterFinished: 60 }));
    await until('a pod', async () => (await active(h)).length === 1);
    const setSuspend = async (suspend: boolean) => {
      const cur = await getJob(h, 's');
      await h.client.update(R.jobs, 'default', 's', { ...cur, spec: { ...cur.spec, suspend } });
    };
    await setSuspend(true);
    await until('suspended', async () => conds(await getJob(h, 's')).includes('Suspended:JobSuspended') && (await active(h)).length === 0);
    await setSuspend(false);
    const [p] = await until('resumed', async () => conds(await getJob(h, 's')).includes('Suspended:JobResumed') && (await active(h)).length === 1 && active(h));
    await end(h, p!, 'Succeeded');
    await until('Complete', async () => conds(await getJob(h, 's')).includes('Complete:CompletionsReached'));
    await h.ctl.whenIdle();
    h.clock.advance(59_000);
    await h.ctl.whenIdle();
    assert.ok(await getJob(h, 's'), 'not yet');
    h.clock.advance(2_000);
    await until('deleted', async () => !(await h.client.list(R.jobs, { namespace: 'default' })).items.length);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});
