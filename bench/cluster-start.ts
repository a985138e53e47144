// Benchmark: `mk start` (a new one-node cluster, the node image already present) as a user runs
// it, wall time from spawn to exit, over a few rounds (each followed by `mk delete`). The floor,
// measured in the same run: `docker run -d` of the same node image with the same mounts, caps
// and published ports (a plain container start that runs nothing). Also printed: mk's own step
// times (from the same start run in process), the CLI's start-up cost (`mk --version`), and the published figures of minikube, kind
// and k3d for context (not measured here).
// Run: npx node bench/cluster-start.ts [rounds=3]
import { ensureNodeImage, MK_DIR_IN_NODE, PACKAGE_ROOT, STATE_DIR_IN_NODE } from '../src/cluster/image/index.ts';
import { defaultDockerSocket, startCluster, startOptions } from '../src/cluster/start.ts';
import { MK_VERSION } from '../src/cluster/version.ts';
import { join } from 'node:path';
import type { Bench } from './cluster-harness.ts';
import { BENCH_LABEL, ROOT, median, ms, must, ratio, run, stepTimes, today, withBench } from './cluster-harness.ts';

const ROUNDS = Number(process.argv[2] ?? 3);
const GOAL_MS = 3000;
const PUBLISHED = 'minikube 21–29 s, kind 14–20 s, k3d 7–13 s (published figures, not measured here)';

/** From the node container's start: the agent's first line (Node.js up, modules loaded), the
 * API server listening, and the wait step's end (CA/token read with docker exec, /readyz). */
async function agentTimeline(b: Bench, apiReadyAt: number): Promise<Array<[string, number]>> {
  const at = (rfc3339: string) => Date.parse(rfc3339.replace(/(\.\d{3})\d*/, '$1'));
  const started = at(must(await b.docker('inspect', '-f', '{{.State.StartedAt}}', b.profile), 'docker inspect').stdout.trim());
  const logs = must(await b.docker('logs', '-t', b.profile), 'docker logs').stdout.split('\n');
  const when = (re: RegExp) => {
    const line = logs.find((l) => re.test(l));
    if (!line) throw new Error(`the agent did not log ${re}:\n${logs.join('\n')}`);
    return at(line.split(' ')[0]!);
  };
  const first = when(/ agent: /);
  const listening = when(/ apiserver: listening/);
  return [
    ['node started → agent\'s first line (Node.js + imports)', first - started],
    ['first line → API server listening', listening - first],
    ['listening → step done (docker exec polls, /readyz)', apiReadyAt - listening],
  ];
}

await withBench(async (b) => {
  const image = (await ensureNodeImage(b.rt, { version: MK_VERSION })).tag;
  const cli: number[] = [];
  const starts: number[] = [];
  const deletes: number[] = [];
  const floors: number[] = [];
  const inProcess: number[] = [];
  const timeline = new Map<string, number[]>();
  const steps = new Map<string, number[]>();
  for (let i = 0; i < ROUNDS; i++) {
    // the floor: a plain container of the node image with the node's mounts
    const vol = `${b.profile}-floor`;
    must(await b.docker('volume', 'create', '--label', `${BENCH_LABEL}=${b.profile}`, vol), 'docker volume create');
    const floor = must(await b.docker(
      'run', '-d', ...b.runFlags, '--init', '--cap-add', 'NET_ADMIN',
      '-v', `${PACKAGE_ROOT}:${MK_DIR_IN_NODE}:ro`, '-v', `${vol}:${STATE_DIR_IN_NODE}`, '-v', `${defaultDockerSocket()}:/var/run/docker.sock`,
      '-p', '127.0.0.1::6443', '-p', '127.0.0.1::80', '-p', '127.0.0.1::443',
      image, 'sleep', '3600',
    ), 'docker run -d (floor)');
    floors.push(floor.ms);
    must(await b.docker('rm', '-f', floor.stdout.trim()), 'docker rm');
    must(await b.docker('volume', 'rm', vol), 'docker volume rm');

    cli.push(must(await b.mk('--version'), 'mk --version').ms);
    const start = must(await b.mk('start', '-p', b.profile), 'mk start');
    starts.push(start.ms);
    if (stepTimes(start.stdout).length < 5) throw new Error(`mk start printed no step lines:\n${start.stdout}`);
    deletes.push(must(await b.mk('delete', '-p', b.profile), 'mk delete').ms);
    // the same start in process, for exact step times (the CLI rounds them to 0.1 s)
    const t0 = performance.now();
    let apiReadyAt = 0;
    await startCluster(startOptions({ profile: b.profile, env: b.env, kubeconfig: b.kubeconfig }), {
      start() {}, fail() {}, info() {},
      done(title, s) {
        const key = title.replace(b.profile, '<profile>').replace(b.profile, '<profile>').replace(/\(\d+\.\d+\.\d+\.\d+(\/\d+)?\)/, '(…)');
        steps.set(key, [...(steps.get(key) ?? []), s * 1000]);
        if (title === 'Waiting for the API server') apiReadyAt = Date.now();
      },
    }, b.rt);
    inProcess.push(performance.now() - t0);
    for (const [what, x] of await agentTimeline(b, apiReadyAt)) timeline.set(what, [...(timeline.get(what) ?? []), x]);
    must(await b.mk('delete', '-p', b.profile), 'mk delete');
    console.log(`round ${i + 1}: mk start ${ms(start.ms)}   docker run -d floor ${ms(floor.ms)}   mk delete ${ms(deletes.at(-1)!)}`);
  }
  const m = median(starts);
  const f = median(floors);
  console.log(`\nmk start (image present), median of ${ROUNDS}: ${ms(m)}   floor (docker run -d, node image, same mounts) ${ms(f)}   ratio ${ratio(m, f)}   goal <= ${ms(GOAL_MS)}: ${m <= GOAL_MS ? 'met' : 'MISSED'}`);
  console.log(`  all rounds: mk start ${starts.map(ms).join(', ')}; floor ${floors.map(ms).join(', ')}`);
  console.log(`  peers: ${PUBLISHED}`);
  console.log(`where the time goes (medians; the steps from the same start run in process, ${ms(median(inProcess))} in all):`);
  console.log(`  ${'CLI start-up (mk --version)'.padEnd(54)} ${ms(median(cli))}`);
  for (const [title, xs] of steps) console.log(`  ${title.padEnd(54)} ${ms(median(xs))}`);
  console.log(`  ${'rest (CLI exit, output, noise)'.padEnd(54)} ${ms(m - median(inProcess) - median(cli))}`);
  console.log(`inside "Waiting for the API server" (medians, from the node's docker logs -t):`);
  for (const [what, xs] of timeline) console.log(`  ${what.padEnd(54)} ${ms(median(xs))}`);
  // users whose `node` is older than 22.18 run mk through bin/mk.js's hand-over to the bundled
  // Node.js: one more process start (measured when the PATH's node is such a one)
  const pathNode = await run('node', ['--version']);
  const [maj, min] = pathNode.stdout.trim().slice(1).split('.').map(Number);
  if (pathNode.code === 0 && (maj! < 22 || (maj === 22 && min! < 18))) {
    const handOver = must(await run('node', [join(ROOT, 'bin', 'mk.js'), '--version'], b.env), 'node bin/mk.js --version');
    console.log(`  CLI start-up through the PATH's node ${pathNode.stdout.trim()} (hands over to the bundled Node.js): ${ms(handOver.ms)}`);
  }
  console.log(`mk delete, median: ${ms(median(deletes))}   (${today()})`);
});
