// `npm run build`: the mk executable, dist/mk-<os>-<arch> (default: this machine's), offline
// from what `npm install` brings. Bundles the CLI and the agent with esbuild (bundle.ts), then
// makes a Node.js single executable of it (sea.ts): its main script boot.cjs runs the bundle
// with a code cache trained on a run of it; the other assets are those mk reads through
// node:sea: templates/, a static busybox for the node image and a build record
// (src/lib/executable.ts), and mk dashboard's page (the React app bundled for the browser).
//
//   node scripts/build/build.ts [--target linux-x64] [--node FILE] [--busybox FILE] [--out FILE]
//                               [--if-stale] [--no-minify]
//
// --node     the Node.js binary of the target (default: the one running this script, i.e.
//            node_modules/node under npm); it must be this Node's version (a blob is read by
//            the Node that wrote it); for another platform, download that platform's build of it
// --busybox  a static busybox for the target's Linux architecture (default /bin/busybox, from
//            Debian's busybox-static); the node image is made from it and the executable
// --if-stale build only when an input changed since the last build of --out
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundle } from './bundle.ts';
import { bundleWebApp, WEB_DIR } from '../../src/dashboard/server/page.ts';
import { makeExecutable } from './sea.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** what a build reads besides node_modules (which package-lock.json stands for) */
const INPUT_DIRS = ['src', 'commands', 'templates', join('scripts', 'build')];
const INPUT_FILES = ['package.json', 'package-lock.json'];

function files(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) files(p, out);
    else if (!n.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** a digest of every input, the Node.js binary and busybox included, and the options */
function fingerprint(o: object, binaries: string[]): string {
  const h = createHash('sha256').update(JSON.stringify(o));
  for (const f of [...INPUT_DIRS.flatMap((d) => files(join(ROOT, d))), ...INPUT_FILES.map((f) => join(ROOT, f))]) {
    h.update(relative(ROOT, f)).update(readFileSync(f));
  }
  for (const b of binaries) { const st = statSync(b); h.update(`${b} ${st.size} ${st.mtimeMs}`); }
  return h.digest('hex');
}

function applets(busybox: string, native: boolean): string[] {
  // a busybox of another architecture cannot run here: the host's lists the same applets
  // (Debian builds busybox-static alike for every architecture)
  const list = execFileSync(native ? busybox : '/bin/busybox', ['--list'], { encoding: 'utf8' });
  return list.split('\n').map((s) => s.trim()).filter((s) => /^[A-Za-z0-9_.[\]-]+$/.test(s) && s !== 'busybox');
}

/** the executable's main script: runs the bundle with the code cache (boot.cjs) */
const BOOT = join(ROOT, 'scripts', 'build', 'boot.cjs');

/** The code cache of the bundle after a training run: `mk get pods` without a cluster goes
 * through what every command's start does (oclif's configuration, the command's flags, its
 * modules, the kubeconfig, an error printed), and `--version` is a part of it. */
function train(bundleFile: string, work: string): string {
  const cache = join(work, 'bundle.cache');
  const home = join(work, 'train-home');
  rmSync(cache, { force: true });
  mkdirSync(home, { recursive: true });
  spawnSync(process.execPath, [BOOT, 'get', 'pods'], {
    env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(home, 'none'), MK_BUNDLE: bundleFile, MK_WRITE_CODE_CACHE: cache },
    encoding: 'utf8',
  });
  if (!existsSync(cache)) throw new Error('build: the training run of the bundle wrote no code cache');
  return cache;
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      target: { type: 'string', default: `${process.platform}-${process.arch}` },
      node: { type: 'string' },
      busybox: { type: 'string', default: '/bin/busybox' },
      out: { type: 'string' },
      'if-stale': { type: 'boolean', default: false },
      'no-minify': { type: 'boolean', default: false },
    },
  });
  const target = v.target!;
  const [platform = ''] = target.split('-');
  const native = target === `${process.platform}-${process.arch}`;
  if (!native && !v.node) throw new Error(`build: --target ${target} needs --node, the Node.js ${process.version} binary for ${target}`);
  const nodeBinary = resolve(v.node ?? process.execPath);
  const busybox = resolve(v.busybox!);
  const output = resolve(v.out ?? join(ROOT, 'dist', `mk-${target}${platform === 'win32' ? '.exe' : ''}`));
  for (const [what, f] of [['Node.js binary', nodeBinary], ['static busybox (apt-get install busybox-static)', busybox]]) {
    if (!existsSync(f!)) throw new Error(`build: no ${what} at ${f}`);
  }
  const work = join(dirname(output), '.build', target);
  mkdirSync(work, { recursive: true });
  const stamp = `${output}.inputs`;
  const print = { target, node: nodeBinary, busybox, minify: !v['no-minify'], version: process.version };
  const fp = fingerprint(print, [nodeBinary, busybox]);
  if (v['if-stale'] && existsSync(output) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fp) {
    console.log(`build: ${relative(process.cwd(), output)} is up to date`);
    return;
  }

  const t0 = performance.now();
  const b = await bundle(ROOT, join(work, 'mk.cjs'), { minify: !v['no-minify'] });
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  // names what the node image holds: everything that goes into the executable
  const id = createHash('sha256').update(process.version).update(String(statSync(nodeBinary).size));
  for (const f of [b.file, BOOT, busybox, ...files(join(ROOT, 'templates'))]) id.update(readFileSync(f));
  const build = id.digest('hex').slice(0, 12);
  const buildJson = join(work, 'build.json');
  writeFileSync(buildJson, JSON.stringify({ version: pkg.version, build, target, node: process.version, applets: applets(busybox, native) }));
  const assets: Record<string, string> = { 'mk/build.json': buildJson, 'mk/busybox': busybox, 'mk/bundle.js': b.file };
  for (const f of files(join(ROOT, 'templates'))) assets[relative(ROOT, f).split('\\').join('/')] = f;
  // mk dashboard's page: its React app bundled for the browser, its HTML and CSS as written
  const dashboardJs = join(work, 'dashboard.js');
  writeFileSync(dashboardJs, await bundleWebApp(ROOT, { minify: !v['no-minify'] }));
  assets['mk/dashboard/app.js'] = dashboardJs;
  for (const f of ['index.html', 'app.css']) assets[`${WEB_DIR}/${f}`] = join(ROOT, WEB_DIR, f);
  // the code cache is V8's own: made here only for the Node.js running this build
  if (native) assets['mk/bundle.cache'] = train(b.file, work);

  const sea = await makeExecutable({ main: BOOT, assets, nodeBinary, output, workDir: work, platform, native });
  writeFileSync(stamp, fp);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  console.log(`build: ${relative(process.cwd(), output)}  ${mb(statSync(output).size)}  (mk ${pkg.version}-${build}, bundle ${mb(b.bytes)}, blob ${mb(sea.blobBytes)}`
    + `, code cache ${sea.codeCache ? 'yes' : 'no'}, ${sea.stripped ? 'stripped' : 'not stripped'})  ${((performance.now() - t0) / 1000).toFixed(1)}s`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
