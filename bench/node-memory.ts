// Benchmark: memory of the control-plane node of a new one-node mk cluster after 10 s idle:
// the node container's memory as `docker stats --no-stream` reports it (the cgroup's usage
// without page cache), median of 3 samples, and the mk agent's RSS (VmRSS of its node process,
// read in the node, split into anonymous and file-backed pages; the file-backed part is mostly the
// mapped Node.js binary, shared page cache charged to whichever cgroup read it first), and the
// cgroup's usage with its page cache. The floor, measured in the same run the same way: a container of the same
// node image running an idle Node.js (`setInterval`), i.e. what the runtime alone costs.
// Published for context (not measured here): minikube 536 MiB, kind 463 MiB, k3d 423 MiB.
// Goal <= 150 MiB.
// Run: npx node bench/node-memory.ts [idleSeconds=10]
import { ensureNodeImage } from '../src/cluster/image/index.ts';
import { MK_VERSION } from '../src/cluster/version.ts';
import { mib, median, must, parseDockerBytes, ratio, sleep, today, withBench } from './cluster-harness.ts';
import type { Bench } from './cluster-harness.ts';

const IDLE_S = Number(process.argv[2] ?? 10);
const GOAL_MIB = 150;
const PUBLISHED = 'minikube 536 MiB, kind 463 MiB, k3d 423 MiB (published figures, not measured here)';

async function statsBytes(b: Bench, container: string): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = must(await b.docker('stats', '--no-stream', '--format', '{{.MemUsage}}', container), 'docker stats');
    xs.push(parseDockerBytes(r.stdout));
  }
  return median(xs);
}

interface Rss { rss: number; anon: number; file: number }

/** VmRSS (and its anonymous and file-backed parts) of every `node` process in the container */
async function nodeRss(b: Bench, container: string): Promise<Rss[]> {
  const r = must(await b.docker('exec', container, 'sh', '-c', 'for p in $(pidof node); do grep -E "^(VmRSS|RssAnon|RssFile)" /proc/$p/status; done'), 'docker exec');
  const kb = (key: string) => [...r.stdout.matchAll(new RegExp(`${key}:\\s+(\\d+) kB`, 'g'))].map((m) => Number(m[1]) * 1024);
  const [rss, anon, file] = [kb('VmRSS'), kb('RssAnon'), kb('RssFile')];
  return rss.map((x, i) => ({ rss: x, anon: anon[i] ?? 0, file: file[i] ?? 0 }));
}

/** the cgroup's whole usage, page cache included (v2 memory.current, v1 memory.usage_in_bytes) */
async function cgroupBytes(b: Bench, container: string): Promise<number> {
  const r = must(await b.docker('exec', container, 'sh', '-c', 'cat /sys/fs/cgroup/memory.current 2>/dev/null || cat /sys/fs/cgroup/memory/memory.usage_in_bytes'), 'docker exec');
  return Number(r.stdout.trim());
}

await withBench(async (b) => {
  const image = (await ensureNodeImage(b.rt, { version: MK_VERSION })).tag;
  must(await b.mk('start', '-p', b.profile), 'mk start');
  const floor = must(await b.docker('run', '-d', ...b.runFlags, '--init', image, 'node', '-e', 'setInterval(() => {}, 1000)'), 'docker run -d (floor)').stdout.trim();
  await sleep(IDLE_S * 1000);

  const nodeBytes = await statsBytes(b, b.profile);
  const floorBytes = await statsBytes(b, floor);
  const agent = await nodeRss(b, b.profile);
  const floorRss = (await nodeRss(b, floor))[0]!;
  if (agent.length !== 1) throw new Error(`expected one node process in the node, found ${agent.length}`);
  const a = agent[0]!;
  const [nodeCg, floorCg] = [await cgroupBytes(b, b.profile), await cgroupBytes(b, floor)];

  console.log(`control-plane node after ${IDLE_S} s idle (docker stats, median of 3): ${mib(nodeBytes)}   floor (idle Node.js in the node image) ${mib(floorBytes)}   ratio ${ratio(nodeBytes, floorBytes)}   goal <= ${GOAL_MIB} MiB: ${nodeBytes <= GOAL_MIB * 1024 * 1024 ? 'met' : 'MISSED'}`);
  console.log(`mk agent RSS: ${mib(a.rss)} (anonymous ${mib(a.anon)}, file-backed ${mib(a.file)})   floor (idle Node.js) ${mib(floorRss.rss)} (anonymous ${mib(floorRss.anon)}, file-backed ${mib(floorRss.file)})   ratio ${ratio(a.rss, floorRss.rss)}`);
  console.log(`cgroup usage with page cache: node ${mib(nodeCg)}   floor ${mib(floorCg)}   (shared file pages, e.g. the Node.js binary, are charged to the cgroup that first read them, so RSS can exceed these)`);
  console.log(`  peers: ${PUBLISHED}   (${today()})`);
});
