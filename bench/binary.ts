// Benchmark: the mk executable (dist/mk-<os>-<arch>, built first unless up to date) against mk
// from its sources (`node bin/mk.js`, this Node.js), in one run: the wall time of `mk --version`
// and of `mk get pods` (against `mk apiserver` in the foreground: the API server alone, no
// Docker cluster needed), median of N runs each, interleaved; the floor is Node.js starting and
// exiting (`node -e 0`). Then sizes: the executable against the Node.js binary it is made of,
// and its node image (mk-node:<version>-<build>) against the node image mk makes from its
// sources (mk-node:<version>, Node.js + bind-mounted sources); the images this run had to build
// are removed again.
// Run: npx node bench/binary.ts [runs=10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaryImage } from '../src/cluster/image/binary-image.ts';
import { ensureNodeImage } from '../src/cluster/image/node-image.ts';
import { MK_VERSION } from '../src/cluster/version.ts';
import { dockerRuntime } from '../src/runtime/index.ts';
import type { BuildInfo } from '../src/lib/executable.ts';
import { ROOT, median, ms, must, ratio, run, today } from './cluster-harness.ts';

const RUNS = Number(process.argv[2] ?? 10);
const GOAL_VERSION_MS = 100;
const target = `${process.platform}-${process.arch}`;
const exe = join(ROOT, 'dist', `mk-${target}`);
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

must(await run(process.execPath, [join(ROOT, 'scripts', 'build', 'build.ts'), '--if-stale']), 'npm run build');
const info = JSON.parse(readFileSync(join(ROOT, 'dist', '.build', target, 'build.json'), 'utf8')) as BuildInfo;

const home = mkdtempSync(join(tmpdir(), 'mk-bench-binary-'));
const env = { ...process.env, HOME: home, KUBECONFIG: join(home, 'kubeconfig'), NO_COLOR: '1' };
const apiserver = spawn(exe, ['apiserver', '--data-dir', join(home, 'data'), '--kubeconfig', env.KUBECONFIG], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const rt = dockerRuntime();
const built: string[] = [];
try {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    apiserver.stdout.on('data', (c: Buffer) => { out += c; if (out.includes('Wrote context')) resolve(); });
    apiserver.once('exit', (code) => reject(new Error(`mk apiserver exited (${code}):\n${out}`)));
  });

  // something to list: three Pods (no kubelet runs them; they stay Pending)
  const pods = join(home, 'pods.yaml');
  writeFileSync(pods, [1, 2, 3].map((i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-${i}\nspec:\n  containers:\n  - name: web\n    image: mk-test/echo:1.0\n`).join('---\n'));
  must(await run(exe, ['create', '-f', pods], env), 'create -f pods.yaml');
  const peers = {
    executable: (...a: string[]) => run(exe, a, env),
    sources: (...a: string[]) => run(process.execPath, [join(ROOT, 'bin', 'mk.js'), ...a], env),
  };
  const times: Record<string, number[]> = {};
  const add = (k: string, v: number) => (times[k] ??= []).push(v);
  for (let i = 0; i < RUNS; i++) {
    add('floor', must(await run(process.execPath, ['-e', '0'], env), 'node -e 0').ms);
    for (const [name, mk] of Object.entries(peers)) {
      add(`${name} --version`, must(await mk('--version'), `${name} --version`).ms);
      const pods = must(await mk('get', 'pods', '-A'), `${name} get pods`);
      if (!pods.stdout.startsWith('NAMESPACE')) throw new Error(`${name} get pods printed:\n${pods.stdout}${pods.stderr}`);
      add(`${name} get pods`, pods.ms);
    }
  }
  const m = (k: string) => median(times[k]!);

  // node images: made from the executable, and from the sources (the same engine, built if absent)
  const binTag = `mk-node:${info.version}-${info.build}`;
  const srcTag = `mk-node:${MK_VERSION}`;
  for (const [tag, make] of [
    [binTag, () => ensureBinaryImage(rt, { exe: { ...info, path: exe }, busybox: readFileSync('/bin/busybox') })],
    [srcTag, () => ensureNodeImage(rt, { version: MK_VERSION })],
  ] as const) {
    if ((await make()).built) built.push(tag);
  }
  const size = async (tag: string) => Number(must(await run('docker', ['image', 'inspect', '-f', '{{.Size}}', tag]), 'docker image inspect').stdout.trim());
  const [binImage, srcImage] = [await size(binTag), await size(srcTag)];

  console.log(`mk executable vs sources, ${today()}, ${RUNS} runs each`);
  console.log(`| figure | goal | executable | sources (node bin/mk.js) | ratio |`);
  console.log(`| --- | --- | --- | --- | --- |`);
  console.log(`| \`mk --version\`, median | ≤ ${GOAL_VERSION_MS} ms | ${ms(m('executable --version'))} | ${ms(m('sources --version'))} | ${ratio(m('executable --version'), m('sources --version'))} |`);
  console.log(`| \`mk get pods -A\`, median | — | ${ms(m('executable get pods'))} | ${ms(m('sources get pods'))} | ${ratio(m('executable get pods'), m('sources get pods'))} |`);
  console.log(`| Node.js start and exit (\`node -e 0\`), median | — | ${ms(m('floor'))} | | |`);
  console.log(`| size of the mk executable / of the Node.js binary it is made of | — | ${mb(statSync(exe).size)} | ${mb(statSync(process.execPath).size)} | ${ratio(statSync(exe).size, statSync(process.execPath).size)} |`);
  console.log(`| node image size (docker image inspect) | ≤ sources' | ${mb(binImage)} (${binTag}) | ${mb(srcImage)} (${srcTag}) | ${ratio(binImage, srcImage)} |`);
  if (m('executable --version') > GOAL_VERSION_MS) console.log(`goal missed: mk --version took ${ms(m('executable --version'))}`);
  if (binImage > srcImage) console.log('goal missed: the executable\'s node image is larger than the sources\'');
} finally {
  apiserver.kill('SIGTERM');
  for (const tag of built) await rt.removeImage(tag).catch(() => {});
  rmSync(home, { recursive: true, force: true });
}
