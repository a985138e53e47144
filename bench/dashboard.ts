// Benchmark: `mk dashboard --url` from its start (spawned as a user runs it) to its URL answering
// (the page, then app.js), and to the feed's first picture of the cluster (the SSE `hello` with
// the cluster listed), on a one-node cluster; mk from its sources (`node bin/mk.js`) and, when
// `npm run build` made it (built first unless up to date), the executable. The peer, in the same
// run and measured the same way: a plain node:http server (this Node.js) serving the same files
// (index.html, app.css and the bundled app.js) from 127.0.0.1. Runs interleaved, medians.
// Run: npx node bench/dashboard.ts [runs=10]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PREPARED_BUNDLE, WEB_DIR } from '../src/dashboard/server/page.ts';
import { ROOT, median, ms, must, ratio, run, today, withBench } from './cluster-harness.ts';

const RUNS = Number(process.argv[2] ?? 10);
const GOAL_MS = 1000;
const exe = join(ROOT, 'dist', `mk-${process.platform}-${process.arch}`);

/** The peer: node:http serving the dashboard's three files, printing its URL like `--url`. */
const PEER = `
const http = require('node:http'), fs = require('node:fs'), path = require('node:path');
const root = process.argv[1];
const files = { '/': ['${WEB_DIR}/index.html', 'text/html'], '/app.css': ['${WEB_DIR}/app.css', 'text/css'], '/app.js': ['${PREPARED_BUNDLE}', 'text/javascript'] };
const s = http.createServer((req, res) => {
  const f = files[req.url];
  if (!f) { res.writeHead(404); res.end(); return; }
  const body = fs.readFileSync(path.join(root, f[0]));
  res.writeHead(200, { 'content-type': f[1], 'content-length': body.length });
  res.end(body);
});
s.listen(0, '127.0.0.1', () => process.stdout.write('http://127.0.0.1:' + s.address().port + '/\\n'));
process.on('SIGINT', () => process.exit(0));
`;

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', () => resolve(0));
  });
}

/** The first SSE `hello` whose revision is above 0 (the cluster listed). */
function firstPicture(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}events`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        const m = /event: (?:hello|graph)\ndata: \{"revision":(\d+)/.exec(text);
        if (m && Number(m[1]) > 0) {
          req.destroy();
          resolve();
        }
      });
    });
    req.on('error', reject);
  });
}

interface Timing { answered: number; picture?: number }

/** Spawns `file args`, times its URL (first stdout line) answering / and app.js, and, for mk, the first picture; then SIGINT. */
async function measure(file: string, args: string[], env: NodeJS.ProcessEnv, picture: boolean): Promise<Timing> {
  const t0 = performance.now();
  const child = spawn(file, args, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c;
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`${file} ${args.join(' ')} exited (${code}) before printing a URL:\n${out}${err}`)));
    });
    for (;;) {
      if ((await get(url)) === 200 && (await get(`${url}app.js`)) === 200) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const answered = performance.now() - t0;
    if (!picture) return { answered };
    await firstPicture(url);
    return { answered, picture: performance.now() - t0 };
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

await withBench(async (b) => {
  must(await run(process.execPath, [join(ROOT, 'scripts', 'build', 'dashboard.ts')]), 'the dashboard bundle (npm install\'s prepare)');
  const built = (await run(process.execPath, [join(ROOT, 'scripts', 'build', 'build.ts'), '--if-stale'])).code === 0 && existsSync(exe);
  must(await b.mk('start', '-p', b.profile), 'mk start');
  const peers: Record<string, () => Promise<Timing>> = {
    'mk dashboard --url (sources)': () => measure(process.execPath, [join(ROOT, 'bin', 'mk.js'), 'dashboard', '-p', b.profile, '--url'], b.env, true),
    ...(built ? { 'mk dashboard --url (executable)': () => measure(exe, ['dashboard', '-p', b.profile, '--url'], b.env, true) } : {}),
    'node:http serving the same files': () => measure(process.execPath, ['-e', PEER, ROOT], b.env, false),
  };
  const times: Record<string, Timing[]> = {};
  for (let i = 0; i < RUNS; i++) for (const [name, m] of Object.entries(peers)) (times[name] ??= []).push(await m());
  const peer = median(times['node:http serving the same files']!.map((t) => t.answered));

  console.log(`mk dashboard start to URL answering, ${today()}, ${RUNS} runs each, interleaved`);
  console.log('| figure | goal | measured (median) | peer: node:http serving the same files | ratio |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, ts] of Object.entries(times)) {
    if (name.startsWith('node:http')) continue;
    const answered = median(ts.map((t) => t.answered));
    console.log(`| ${name}: start → page and app.js answer | ≤ ${ms(GOAL_MS)} | ${ms(answered)} | ${ms(peer)} | ${ratio(answered, peer)} |`);
    console.log(`| ${name}: start → first picture of the cluster on the feed | — | ${ms(median(ts.map((t) => t.picture!)))} | | |`);
    if (answered > GOAL_MS) console.log(`goal missed: ${name} answered after ${ms(answered)}`);
  }
  if (!built) console.log('(no executable: npm run build failed or made none here)');
});
