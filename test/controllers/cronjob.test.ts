// Cron schedules (a table of next activations and of robfig/cron's errors) and the CronJob
// controller against the in-process API server on a fake clock: a Job per scheduled minute,
// named and annotated as upstream, the active list and last times, Forbid and Replace, history
// limits and suspend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.ts';
import { R } from '../../src/api/resources.ts';
import { parseSchedule, scheduleError } from '../../src/api/cron.ts';
import { mostRecentTime, rfc1123z } from '../../src/controllers/cronjob.ts';
import { harness, until, type Harness } from './harness.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));

test('schedules: the next activation after a time', () => {
  const cases: [string, string | undefined, string, string][] = [
    ['*/5 * * * *', undefined, '2024-05-01T12:03:10Z', '2024-05-01T12:05:00Z'],
    ['*/5 * * * *', undefined, '2024-05-01T12:05:00Z', '2024-05-01T12:10:00Z'],
    ['* * * * *', undefined, '2024-05-01T12:03:59Z', '2024-05-01T12:04:00Z'],
    ['0 0 * * *', undefined, '2024-05-01T12:00:00Z', '2024-05-02T00:00:00Z'],
    ['@hourly', undefined, '2024-05-01T12:30:00Z', '2024-05-01T13:00:00Z'],
    ['@weekly', undefined, '2024-05-01T12:30:00Z', '2024-05-05T00:00:00Z'],
    ['@yearly', undefined, '2024-05-01T12:30:00Z', '2025-01-01T00:00:00Z'],
    ['0 9 * * MON-FRI', undefined, '2024-05-04T10:00:00Z', '2024-05-06T09:00:00Z'], // Saturday → Monday
    ['30 2 1,15 * *', undefined, '2024-05-02T00:00:00Z', '2024-05-15T02:30:00Z'],
    ['0 0 13 * FRI', undefined, '2024-09-01T00:00:00Z', '2024-09-06T00:00:00Z'], // day of month OR day of week
    ['0 0 29 2 *', undefined, '2024-03-01T00:00:00Z', '2028-02-29T00:00:00Z'],
    ['0 12 * jan,jul ?', undefined, '2024-05-01T00:00:00Z', '2024-07-01T12:00:00Z'],
    ['@every 90s', undefined, '2024-05-01T12:00:00Z', '2024-05-01T12:01:30Z'],
    ['0 9 * * *', 'America/New_York', '2024-05-01T00:00:00Z', '2024-05-01T13:00:00Z'], // EDT
    ['0 9 * * *', 'America/New_York', '2024-12-01T00:00:00Z', '2024-12-01T14:00:00Z'], // EST
    ['0 9 * * *', 'Asia/Kolkata', '2024-05-01T00:00:00Z', '2024-05-01T03:30:00Z'],
  ];
  for (const [spec, tz, after, want] of cases) assert.equal(iso(parseSchedule(spec, tz).next(at(after))), want, `${spec} ${tz ?? ''} after ${after}`);
});

test('schedules that do not parse say why, as robfig/cron does', () => {
  const cases: [string, string | undefined][] = [
    ['*/5 * * * *', undefined],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* * *', 'expected exactly 5 fields, found 3: [* * *]'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['', 'empty spec string'],
    // a negative step or bound is refused at once (it used to spin until the Set overflowed)
    ['*/-1 * * * *', 'negative number (-1) not allowed: -1'],
    ['0 -1 * * *', 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
    ['0 0 * * 1/-2', 'negative number (-2) not allowed: -2'],
    // robfig ignores what follows a star's hyphen, and knows its descriptors only in lower case
    ['*-5 * * * *', undefined],
    ['@Daily', 'unrecognized descriptor: @Daily'],
    ['0 0 * constructor *', 'failed to parse int from constructor: strconv.Atoi: parsing "constructor": invalid syntax'],
  ];
  for (const [spec, want] of cases) assert.equal(scheduleError(spec), want, spec);
});

test('missed schedules: the most recent one runs, however many were missed (the controller was stopped for hours)', () => {
  const cases: [spec: string, earliest: string, now: string, time: string | undefined, missed: number][] = [
    ['* * * * *', '2024-05-01T12:00:00Z', '2024-05-01T12:00:30Z', undefined, 0],
    ['* * * * *', '2024-05-01T12:00:00Z', '2024-05-01T12:01:30Z', '2024-05-01T12:01:00Z', 1],
    ['* * * * *', '2024-05-01T12:00:00Z', '2024-05-01T12:05:10Z', '2024-05-01T12:05:00Z', 5],
    ['* * * * *', '2024-05-01T09:00:00Z', '2024-05-01T12:00:30Z', '2024-05-01T12:00:00Z', 180],
    ['*/5 * * * *', '2024-04-01T00:00:00Z', '2024-05-01T12:03:00Z', '2024-05-01T12:00:00Z', 8784],
    ['0 9 * * MON-FRI', '2024-01-01T00:00:00Z', '2024-05-04T10:00:00Z', '2024-05-03T09:00:00Z', 125],
  ];
  for (const [spec, earliest, now, want, missed] of cases) {
    const r = mostRecentTime(parseSchedule(spec), at(earliest), at(now));
    assert.deepEqual([iso(r.time), r.missed], [want, missed], `${spec} from ${earliest} to ${now}`);
  }
  assert.equal(rfc1123z(at('2024-05-01T09:05:00Z')), 'Wed, 01 May 2024 09:05:00 +0000');
});

function cronJob(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: { schedule: '*/1 * * * *', jobTemplate: { metadata: { labels: { from: name } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
  };
}

const jobs = async (h: Harness) => (await h.client.list(R.jobs, { namespace: 'default' })).items.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));

/** Moves the fake clock to the next whole minute (plus a second). */
function nextMinute(h: Harness): number {
  const now = h.clock.now();
  const target = (Math.floor(now / 60_000) + 1) * 60_000 + 1000;
  h.clock.advance(target - now);
  return Math.floor(target / 60_000) * 60_000;
}

async function finish(h: Harness, job: KubeObject, type: 'Complete' | 'Failed'): Promise<void> {
  const cur = await h.client.get(R.jobs, 'default', job.metadata.name!);
  const t = new Date(h.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const conditions = [{ type, status: 'True', lastProbeTime: t, lastTransitionTime: t, reason: 'Test', message: 'test' }];
  await h.client.update(R.jobs, 'default', cur.metadata.name!, { ...cur, status: { ...cur.status, conditions, ...(type === 'Complete' ? { completionTime: t } : {}) } }, { subresource: 'status' });
}

test('a Job each scheduled minute, named <cronjob>-<minutes>, annotated, owned; active list and last times', async () => {
  const h = await harness();
  try {
    const cj = await h.client.create(R.cronjobs, 'default', cronJob('hello'));
    await h.ctl.whenIdle();
    assert.equal((await jobs(h)).length, 0);
    const minute = nextMinute(h);
    const [job] = await until('a job', async () => (await jobs(h)).length === 1 && jobs(h));
    assert.equal(job!.metadata.name, `hello-${minute / 60_000}`);
    assert.equal(job!.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], iso(minute));
    assert.deepEqual(job!.metadata.labels?.from, 'hello');
    assert.deepEqual(job!.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    let st = await until('active', async () => (await h.client.get(R.cronjobs, 'default', 'hello')).status?.active?.length === 1 && (await h.client.get(R.cronjobs, 'default', 'hello')).status);
    assert.deepEqual([st.active[0].name, st.lastScheduleTime], [job!.metadata.name, iso(minute)]);
    await finish(h, job!, 'Complete');
    st = await until('no longer active', async () => {
      const s = (await h.client.get(R.cronjobs, 'default', 'hello')).status;
      return !s?.active && s?.lastSuccessfulTime && s;
    });
    assert.equal(st.lastScheduleTime, iso(minute));
    await h.ctl.whenIdle();
    const reasons = (await h.client.list(R.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.kind === 'CronJob').map((e) => `${e.reason}: ${e.message}`);
    assert.deepEqual(reasons, [`SuccessfulCreate: Created job ${job!.metadata.name}`, `SawCompletedJob: Saw completed job: ${job!.metadata.name}, status: Complete`]);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('a job made from the CronJob by hand (create job --from=cronjob/x) is not active; a warning says so once, as upstream does', async () => {
  const h = await harness();
  try {
    const cj = await h.client.create(R.cronjobs, 'default', cronJob('hello', { schedule: '0 0 1 1 *' }));
    const manual: KubeObject = {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: { name: 'manual', namespace: 'default', annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid!, controller: true }] },
      spec: (cj.spec as any).jobTemplate.spec,
    };
    const job = await h.client.create(R.jobs, 'default', manual);
    await h.ctl.whenIdle();
    await h.client.patch(R.jobs, 'default', 'manual', { metadata: { labels: { touched: 'yes' } } }, 'merge'); // another pass
    await h.ctl.whenIdle();
    assert.equal((await h.client.get(R.cronjobs, 'default', 'hello')).status?.active, undefined);
    await finish(h, job, 'Complete');
    await until('lastSuccessfulTime', async () => (await h.client.get(R.cronjobs, 'default', 'hello')).status?.lastSuccessfulTime);
    await h.ctl.whenIdle();
    const events = (await h.client.list(R.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.kind === 'CronJob').map((e) => `${e.type} ${e.reason}: ${e.message}`);
    assert.deepEqual(events, ['Warning UnexpectedJob: Saw a job that the controller did not create or forgot: manual']);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

const policies: { policy: string; want: (first: string, second: string) => string[] }[] = [
  { policy: 'Allow', want: (a, b) => [a, b] },
  { policy: 'Forbid', want: (a) => [a] },
  { policy: 'Replace', want: (_a, b) => [b] },
];

for (const c of policies) {
  test(`concurrencyPolicy ${c.policy} with a Job still running at the next minute`, async () => {
    const h = await harness();
    try {
      await h.client.create(R.cronjobs, 'default', cronJob('c', { concurrencyPolicy: c.policy }));
      const m1 = nextMinute(h);
      await until('first job', async () => (await jobs(h)).length === 1);
      const m2 = nextMinute(h);
      const want = c.want(`c-${m1 / 60_000}`, `c-${m2 / 60_000}`);
      await until(`${want}`, async () => JSON.stringify((await jobs(h)).filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name)) === JSON.stringify(want));
      await h.ctl.whenIdle();
      const active = (await h.client.get(R.cronjobs, 'default', 'c')).status?.active?.map((r: { name: string }) => r.name);
      assert.deepEqual(active, want);
      assert.deepEqual(h.errors, []);
    } finally {
      await h.close();
    }
  });
}

test('history limits keep the newest finished Jobs; suspend stops new ones', async () => {
  const h = await harness();
  try {
    await h.client.create(R.cronjobs, 'default', cronJob('h', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }));
    const made: string[] = [];
    for (const how of ['Complete', 'Complete', 'Failed', 'Failed'] as const) {
      const m = nextMinute(h);
      const name = `h-${m / 60_000}`;
      made.push(name);
      const job = await until(name, async () => (await jobs(h)).find((j) => j.metadata.name === name));
      await finish(h, job, how);
      await until('seen finished', async () => !(await h.client.get(R.cronjobs, 'default', 'h')).status?.active);
    }
    await until('trimmed', async () => (await jobs(h)).filter((j) => !j.metadata.deletionTimestamp).length === 2);
    assert.deepEqual((await jobs(h)).filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name), [made[1], made[3]]);
    const cur = await h.client.get(R.cronjobs, 'default', 'h');
    await h.client.update(R.cronjobs, 'default', 'h', { ...cur, spec: { ...cur.spec, suspend: true } });
    await h.ctl.whenIdle();
    nextMinute(h);
    await h.ctl.whenIdle();
    assert.equal((await jobs(h)).filter((j) => !j.metadata.deletionTimestamp).length, 2);
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});

test('a Job made by hand from the CronJob (kubectl create job --from) is not taken into its active list: UnexpectedJob, and Forbid still runs on schedule', async () => {
  const h = await harness();
  try {
    const cj = await h.client.create(R.cronjobs, 'default', cronJob('c', { concurrencyPolicy: 'Forbid' }));
    await h.ctl.whenIdle();
    // what kubectl create job manual --from=cronjob/c sends: the template, owned by the CronJob (controller, no blockOwnerDeletion)
    await h.client.create(R.jobs, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'manual', namespace: 'default', annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'c', uid: cj.metadata.uid!, controller: true }] },
      spec: structuredClone(cronJob('c').spec.jobTemplate.spec),
    });
    await h.ctl.whenIdle();
    assert.equal((await h.client.get(R.cronjobs, 'default', 'c')).status?.active, undefined);
    const minute = nextMinute(h);
    await until('the scheduled job beside the manual one', async () => (await jobs(h)).some((j) => j.metadata.name === `c-${minute / 60_000}`));
    await h.ctl.whenIdle();
    const active = (await h.client.get(R.cronjobs, 'default', 'c')).status?.active?.map((r: { name: string }) => r.name);
    assert.deepEqual(active, [`c-${minute / 60_000}`]);
    const reasons = (await h.client.list(R.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.kind === 'CronJob').map((e) => `${e.reason}: ${e.message}`);
    assert.ok(reasons.includes('UnexpectedJob: Saw a job that the controller did not create or forgot: manual'), reasons.join('\n'));
    assert.deepEqual(h.errors, []);
  } finally {
    await h.close();
  }
});
