// Benchmark: pod create → Running on a one-node mk cluster with a local image (mk-test/busybox,
// `sleep 3600`): pods created one by one, each timed from just before the POST to the watch
// event that shows `status.phase: Running` (p50/p99 over the sample, after one warm-up pod).
// The floor, measured in the same run: `docker run -d` of the same image and command (returns
// once the container runs), one by one, same counts. A pod is two containers (sandbox + app)
// plus scheduling and status writes, so the floor is a plain single container. Where a pod's time
// goes is printed from the pod watch and the Docker events of its containers (wall clock, ms).
// Goal p99 <= 1 s (Kubernetes' pod startup SLO: 5 s at p99).
// Run: npx node bench/pod-startup.ts [pods=30]
import { R } from '../src/api/resources.ts';
import type { KubeObject } from '../src/api/types.ts';
import { LABELS, ROLES } from '../src/runtime/index.ts';
import { ensureTestImages, TEST_IMAGES } from '../test/images/index.ts';
import { ms, must, pct, ratio, today, withBench } from './cluster-harness.ts';

const PODS = Number(process.argv[2] ?? 30);
const GOAL_P99_MS = 1000;
const SLO_P99_MS = 5000;
const POD_TIMEOUT_MS = 60_000;

const MARKS = ['create sent', 'create answered', 'scheduled', 'sandbox created', 'sandbox started', 'app created', 'app started', 'running seen'] as const;
type Mark = (typeof MARKS)[number];

const pod = (name: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'pod-startup' } },
  spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image: TEST_IMAGES.busybox, command: ['sleep', '3600'] }] },
});

await withBench(async (b) => {
  await ensureTestImages(b.rt);
  must(await b.mk('start', '-p', b.profile), 'mk start');
  const client = b.client();
  const pods = R.pods;

  // one watch for the whole run: the first Running event per pod resolves its waiter; the
  // scheduling (nodeName set) and the Docker events of its containers go to its timeline
  const running = new Map<string, (at: number) => void>();
  const marks = new Map<string, Partial<Record<Mark, number>>>();
  const mark = (pod: string, m: Mark, at = Date.now()) => {
    const t = marks.get(pod) ?? {};
    t[m] ??= at;
    marks.set(pod, t);
  };
  const abort = new AbortController();
  const watching = (async () => {
    for await (const ev of client.watch(pods, { namespace: 'default', signal: abort.signal })) {
      const o = ev.object as KubeObject;
      if ((o.spec as { nodeName?: string } | undefined)?.nodeName) mark(o.metadata.name!, 'scheduled');
      if ((o.status as { phase?: string } | undefined)?.phase === 'Running') {
        mark(o.metadata.name!, 'running seen');
        running.get(o.metadata.name!)?.(performance.now());
      }
    }
  })().catch((e) => { if (!abort.signal.aborted) throw e; });
  const dockerEvents = (async () => {
    for await (const ev of b.rt.events({ [LABELS.cluster]: b.profile, [LABELS.role]: ROLES.pod }, abort.signal)) {
      const pod = ev.labels[LABELS.podName];
      const sandbox = ev.labels[LABELS.sandbox] === 'true';
      if (pod && (ev.action === 'create' || ev.action === 'start')) mark(pod, `${sandbox ? 'sandbox' : 'app'} ${ev.action === 'create' ? 'created' : 'started'}` as Mark, ev.time.getTime());
    }
  })().catch((e) => { if (!abort.signal.aborted) throw e; });

  const createToRunning = async (name: string): Promise<number> => {
    let timer: NodeJS.Timeout | undefined;
    const seen = new Promise<number>((resolve, reject) => {
      running.set(name, resolve);
      timer = setTimeout(() => reject(new Error(`pod ${name} not Running after ${POD_TIMEOUT_MS / 1000}s`)), POD_TIMEOUT_MS);
    });
    const t0 = performance.now();
    mark(name, 'create sent');
    await client.create(pods, 'default', pod(name));
    mark(name, 'create answered');
    const at = await seen.finally(() => clearTimeout(timer));
    running.delete(name);
    return at - t0;
  };

  const mkTimes: number[] = [];
  const first = await createToRunning('warmup');
  for (let i = 0; i < PODS; i++) mkTimes.push(await createToRunning(`bench-${i}`));
  abort.abort();
  await Promise.all([watching, dockerEvents]);

  const floorTimes: number[] = [];
  let floorFirst = 0;
  for (let i = 0; i <= PODS; i++) {
    const r = must(await b.docker('run', '-d', ...b.runFlags, TEST_IMAGES.busybox, 'sleep', '3600'), 'docker run -d (floor)');
    if (i === 0) floorFirst = r.ms;
    else floorTimes.push(r.ms);
  }

  const line = (label: string, p: number) => {
    const a = pct(mkTimes, p);
    const f = pct(floorTimes, p);
    return `${label}   mk ${ms(a)}   floor (docker run -d) ${ms(f)}   ratio ${ratio(a, f)}`;
  };
  console.log(`pods created one by one: ${PODS} measured after 1 warm-up (warm-up: mk ${ms(first)}, floor ${ms(floorFirst)}); image ${TEST_IMAGES.busybox}`);
  console.log(line('create → Running p50', 50));
  const p99 = pct(mkTimes, 99);
  console.log(`${line('create → Running p99', 99)}   goal <= ${ms(GOAL_P99_MS)}: ${p99 <= GOAL_P99_MS ? 'met' : 'MISSED'} (Kubernetes SLO ${ms(SLO_P99_MS)})`);
  // where a pod's time goes: each mark's delay after the previous one (medians over the pods,
  // and the slowest pod), in the order a pod goes through them
  const measured = Array.from({ length: PODS }, (_, i) => marks.get(`bench-${i}`) ?? {});
  const slowest = measured[mkTimes.indexOf(Math.max(...mkTimes))]!;
  console.log(`where the time goes (each step after the previous; median over the pods | slowest pod):`);
  for (let i = 1; i < MARKS.length; i++) {
    const gap = (t: Partial<Record<Mark, number>>) => (t[MARKS[i]!] ?? NaN) - (t[MARKS[i - 1]!] ?? NaN);
    console.log(`  ${MARKS[i]!.padEnd(16)} ${ms(pct(measured.map(gap).filter((x) => !Number.isNaN(x)), 50)).padStart(8)} | ${ms(gap(slowest)).padStart(8)}`);
  }
  console.log(`  mk min ${ms(pct(mkTimes, 0))}, max ${ms(pct(mkTimes, 100))}; floor min ${ms(pct(floorTimes, 0))}, max ${ms(pct(floorTimes, 100))}   (${today()})`);
});
