// Benchmark: how long the workload controllers take to bring N pods of the local echo image to
// Ready on a one-node mk cluster, each measured from just before the POST to the object's own
// status saying so (what `kubectl rollout status` / `kubectl wait` wait for):
//   - a StatefulSet with podManagementPolicy Parallel (readyReplicas = N),
//   - a StatefulSet with OrderedReady (each pod waits for the one before it to be Ready),
//   - a Job with completions = parallelism = N of busybox `true` (condition Complete),
// against the peer measured in the same run: a Deployment of the same N pods (readyReplicas = N).
// The ratio says what each controller's own semantics cost over the Deployment's path. Two
// rounds; every object is deleted and its pods gone before the next one starts.
// Run: npx node bench/workloads-ready.ts [replicas=5] [rounds=2]
import { R, type ResourceType } from '../src/api/resources.ts';
import type { KubeObject } from '../src/api/types.ts';
import { ensureTestImages, TEST_IMAGES } from '../test/images/index.ts';
import { ms, must, ratio, sleep, today, withBench } from './cluster-harness.ts';
import type { Bench } from './cluster-harness.ts';

const N = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.argv[3] ?? 2);
const TIMEOUT_MS = 120_000;

const template = (app: string, image: string, cmd?: string[], restartPolicy?: string) => ({
  metadata: { labels: { app } },
  spec: {
    terminationGracePeriodSeconds: 0,
    ...(restartPolicy ? { restartPolicy } : {}),
    containers: [{ name: 'c', image, imagePullPolicy: 'IfNotPresent', ...(cmd ? { command: cmd } : {}) }],
  },
});

interface Kind { label: string; r: ResourceType; object: (name: string) => KubeObject; done: (o: KubeObject) => boolean }

const readyN = (o: KubeObject) => (o.status?.readyReplicas ?? 0) >= N;
const KINDS: Kind[] = [
  {
    label: 'Deployment (peer)', r: R.deployments, done: readyN,
    object: (name) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas: N, selector: { matchLabels: { app: name } }, template: template(name, TEST_IMAGES.echo) } }),
  },
  ...(['Parallel', 'OrderedReady'] as const).map((policy): Kind => ({
    label: `StatefulSet ${policy}`, r: R.statefulsets, done: readyN,
    object: (name) => ({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default' },
      spec: { replicas: N, serviceName: name, podManagementPolicy: policy, selector: { matchLabels: { app: name } }, template: template(name, TEST_IMAGES.echo) },
    }),
  })),
  {
    label: `Job ${N}/${N} at once`, r: R.jobs,
    done: (o) => (o.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Complete' && c.status === 'True'),
    object: (name) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { completions: N, parallelism: N, template: template(name, TEST_IMAGES.busybox, ['true'], 'Never') } }),
  },
];

/** Creates the object; resolves with the ms until `done` holds on a watch of it. */
async function round(b: Bench, k: Kind, name: string): Promise<number> {
  const client = b.client();
  const abort = new AbortController();
  let at = 0;
  const watching = (async () => {
    for await (const ev of client.watch(k.r, { namespace: 'default', name, signal: abort.signal })) {
      if (!at && ev.type !== 'DELETED' && k.done(ev.object as KubeObject)) at = performance.now();
    }
  })().catch((e) => { if (!abort.signal.aborted) throw e; });
  await sleep(200); // the watch is open before the create
  const t0 = performance.now();
  await client.create(k.r, 'default', k.object(name));
  for (const end = t0 + TIMEOUT_MS; !at; await sleep(20)) {
    if (performance.now() > end) throw new Error(`${k.label} ${name}: not done after ${TIMEOUT_MS / 1000}s`);
  }
  abort.abort();
  await watching;
  await client.delete(k.r, 'default', name, { propagationPolicy: 'Background' });
  for (const stop = performance.now() + TIMEOUT_MS; performance.now() < stop; await sleep(250)) {
    if ((await client.list(R.pods, { namespace: 'default', labelSelector: `app=${name}` })).items.length === 0) break;
  }
  return at - t0;
}

await withBench(async (b) => {
  await ensureTestImages(b.rt);
  must(await b.mk('start', '-p', b.profile), 'mk start');
  for (let i = 0; i < ROUNDS; i++) {
    const times: number[] = [];
    for (const [j, k] of KINDS.entries()) times.push(await round(b, k, `w${i}-${j}`));
    const peer = times[0]!;
    console.log(`round ${i + 1}: ${KINDS.map((k, j) => `${k.label} ${ms(times[j]!)}${j ? ` (${ratio(times[j]!, peer)})` : ''}`).join('   ')}`);
  }
  console.log(`(${today()}, ${N} pods each, image ${TEST_IMAGES.echo} / ${TEST_IMAGES.busybox}, one node; ratios against the Deployment)`);
});
