// Benchmark: a 20-replica Deployment of the local echo image (mk-test/echo, an HTTP server on
// :8080) on a one-node mk cluster, from just before the POST to (a) the 20th pod seen Ready on a
// pod watch and (b) the Deployment's status saying readyReplicas = 20 (what `kubectl rollout
// status` waits for). The peer, measured in the same run: 20 `docker run -d` of the same image
// started in parallel, until all have returned (each returns once its container runs), checked
// with `docker ps`. Two rounds each (a new Deployment name per round; the old one is deleted and
// its pods gone before the next round).
// Run: npx node bench/deployment-ready.ts [replicas=20] [rounds=2]
import { R } from '../src/api/resources.ts';
import type { KubeObject } from '../src/api/types.ts';
import { ensureTestImages, TEST_IMAGES } from '../test/images/index.ts';
import { BENCH_LABEL, ms, must, ratio, sleep, today, withBench } from './cluster-harness.ts';
import type { Bench } from './cluster-harness.ts';

const REPLICAS = Number(process.argv[2] ?? 20);
const ROUNDS = Number(process.argv[3] ?? 2);
const TIMEOUT_MS = 120_000;

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
  spec: {
    replicas: REPLICAS,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'echo', image: TEST_IMAGES.echo, ports: [{ containerPort: 8080 }] }] },
    },
  },
});

interface Cond { type: string; status: string }
const isReady = (p: KubeObject) => ((p.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Creates the Deployment; resolves with [all pods Ready, Deployment readyReplicas = N] in ms. */
async function deploymentRound(b: Bench, name: string): Promise<[number, number]> {
  const client = b.client();
  const pods = R.pods;
  const deployments = R.deployments;
  const abort = new AbortController();
  const ready = new Set<string>();
  let podsAt = 0;
  let deployAt = 0;
  const watchPods = (async () => {
    for await (const ev of client.watch(pods, { namespace: 'default', labelSelector: `app=${name}`, signal: abort.signal })) {
      const p = ev.object as KubeObject;
      if (ev.type !== 'DELETED' && isReady(p)) ready.add(p.metadata.name!);
      else ready.delete(p.metadata.name!);
      if (!podsAt && ready.size >= REPLICAS) podsAt = performance.now();
    }
  })().catch((e) => { if (!abort.signal.aborted) throw e; });
  const watchDeploy = (async () => {
    for await (const ev of client.watch(deployments, { namespace: 'default', name, signal: abort.signal })) {
      const st = (ev.object as KubeObject).status as { readyReplicas?: number } | undefined;
      if (!deployAt && (st?.readyReplicas ?? 0) >= REPLICAS) deployAt = performance.now();
    }
  })().catch((e) => { if (!abort.signal.aborted) throw e; });
  await sleep(200); // both watches open before the create
  const t0 = performance.now();
  await client.create(deployments, 'default', deployment(name));
  const end = t0 + TIMEOUT_MS;
  while (!(podsAt && deployAt)) {
    if (performance.now() > end) throw new Error(`deployment ${name}: ${ready.size}/${REPLICAS} pods Ready after ${TIMEOUT_MS / 1000}s`);
    await sleep(20);
  }
  abort.abort();
  await Promise.all([watchPods, watchDeploy]);
  await client.delete(deployments, 'default', name, { propagationPolicy: 'Background' });
  // the next round starts on an idle node: wait until this round's pods are gone
  for (const stop = performance.now() + TIMEOUT_MS; performance.now() < stop; await sleep(250)) {
    if ((await client.list(pods, { namespace: 'default', labelSelector: `app=${name}` })).items.length === 0) break;
  }
  return [podsAt - t0, deployAt - t0];
}

/** 20 `docker run -d` at once; the time until every one returned (and all are running). */
async function floorRound(b: Bench, round: number): Promise<number> {
  const t0 = performance.now();
  const runs = await Promise.all(Array.from({ length: REPLICAS }, () => b.docker('run', '-d', ...b.runFlags, '--label', `${BENCH_LABEL}.round=${round}`, TEST_IMAGES.echo)));
  const t = performance.now() - t0;
  for (const r of runs) must(r, 'docker run -d (floor)');
  const up = (await b.docker('ps', '-q', '--filter', `label=${BENCH_LABEL}=${b.profile}`, '--filter', `label=${BENCH_LABEL}.round=${round}`, '--filter', 'status=running')).stdout.split('\n').filter(Boolean);
  if (up.length !== REPLICAS) throw new Error(`floor: ${up.length}/${REPLICAS} containers running`);
  must(await b.docker('rm', '-f', ...up), 'docker rm');
  return t;
}

await withBench(async (b) => {
  await ensureTestImages(b.rt);
  must(await b.mk('start', '-p', b.profile), 'mk start');
  const rows: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const [podsMs, deployMs] = await deploymentRound(b, `echo-${i}`);
    const floorMs = await floorRound(b, i);
    rows.push(`round ${i + 1}: all ${REPLICAS} pods Ready ${ms(podsMs)}   Deployment readyReplicas=${REPLICAS} ${ms(deployMs)}   floor (${REPLICAS} x docker run -d in parallel) ${ms(floorMs)}   ratio ${ratio(deployMs, floorMs)}`);
    console.log(rows.at(-1));
  }
  console.log(`(${today()}, image ${TEST_IMAGES.echo}, one node)`);
});
