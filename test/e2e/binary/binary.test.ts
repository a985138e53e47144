// The mk executable on a machine with Docker and nothing else: `npm run build` (skipped when
// dist/ is up to date), then the executable, copied out of the clone into a temp folder, runs
// with a PATH that holds no `node` (a folder of links to docker and ldd only), from a folder with
// no node_modules, with nothing in its environment but HOME, KUBECONFIG and PATH: a 2-node
// cluster starts; its node containers run `mk agent` from the node image made of the executable,
// with no bind mount of mk's sources and no Node.js; create deployment + expose, wget through
// the ClusterIP from a pod, exec, exec -it (in tmux), port-forward, `mk dashboard --url` (its page
// embedded), delete. Everything labelled
// with the profile, and the node image when this run built it, is removed in `after`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { dockerRuntime } from '../../../src/runtime/index.ts';
import type { BuildInfo } from '../../../src/lib/executable.ts';
import { ECHO_PORT, TEST_IMAGES, ensureTestImages } from '../../images/index.ts';
import { ROOT, type Result } from '../harness.ts';
import { ensureHostTools, freePort, ok, poll } from '../flows/cluster.ts';
import { httpBody } from '../flows/requests.ts';

const target = `${process.platform}-${process.arch}`;
const rt = dockerRuntime();
const profile = `mk-binary-${randomBytes(2).toString('hex')}`;
const work = mkdtempSync(join(tmpdir(), 'mk-binary-'));
const bin = join(work, 'path');
const cwd = join(work, 'cwd');
const mkFile = join(bin, 'mk');
const env = { HOME: join(work, 'home'), KUBECONFIG: join(work, 'home', 'kube', 'config'), PATH: bin };
const children: ResultPromise[] = [];
let image = '';
/** node images this run built, removed in `after` */
const builtImages: string[] = [];

/** `FILE ARGS` from the temp folder, with nothing but `env` in its environment */
async function runIn(file: string, args: string[]): Promise<Result> {
  const r = await execa(file, args, { env, extendEnv: false, cwd, reject: false, timeout: 180_000, stdin: 'ignore', stripFinalNewline: false });
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
}
const mk = (...args: string[]) => runIn(mkFile, args);
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' });
const labelled = (kind: string) => docker(kind, 'ls', '-q', ...(kind === 'container' ? ['-a'] : []), '--filter', `label=mk.cluster=${profile}`).split('\n').filter(Boolean);

before(async () => {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build', 'build.ts'), '--if-stale'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  assert.equal(build.status, 0, `npm run build: ${build.stdout}${build.stderr}`);
  const info = JSON.parse(readFileSync(join(ROOT, 'dist', '.build', target, 'build.json'), 'utf8')) as BuildInfo;
  image = `mk-node:${info.version}-${info.build}`;
  if (!(await rt.imageExists(image))) builtImages.push(image);
  await ensureTestImages(rt);
  ensureHostTools();

  // a PATH with docker and ldd only (mk builds its node image with the libraries ldd lists)
  for (const d of [bin, cwd, env.HOME]) mkdirSync(d, { recursive: true });
  for (const tool of ['docker', 'ldd']) {
    const path = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    symlinkSync(path, join(bin, tool));
  }
  copyFileSync(join(ROOT, 'dist', `mk-${target}`), mkFile);
  execFileSync('chmod', ['755', mkFile]);
  assert.notEqual(spawnSync('/bin/sh', ['-c', 'command -v node'], { env }).status, 0, 'node is not on the PATH mk runs with');
  assert.equal(existsSync(join(cwd, 'node_modules')), false);
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await mk('delete', '-p', profile);
  for (const c of labelled('container')) spawnSync('docker', ['rm', '-f', c]);
  for (const n of labelled('network')) spawnSync('docker', ['network', 'rm', n]);
  for (const v of labelled('volume')) spawnSync('docker', ['volume', 'rm', '-f', v]);
  for (const i of builtImages) await rt.removeImage(i).catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

test('mk --version from the executable, out of any clone', async () => {
  const v = await mk('--version');
  ok(v, '--version');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.match(v.stdout, new RegExp(`^mk/${pkg.version.replace(/\./g, '\\.')} ${target} node-v24\\.`));
});

test('start: 2 nodes that run `mk agent` from the executable\'s own image, no sources mounted, no Node.js', async () => {
  const start = await mk('start', '-p', profile, '--nodes', '2');
  ok(start, 'mk start');
  assert.match(start.stdout, new RegExp(`Preparing node image ${image.replace(/[.:]/g, '\\$&')}`));
  assert.match(start.stdout, /Done! kubectl is now configured to use/);
  const nodes = await mk('get', 'nodes');
  ok(nodes, 'get nodes');
  assert.match(nodes.stdout, new RegExp(`^${profile}\\s+Ready\\s+control-plane`, 'm'));
  assert.match(nodes.stdout, new RegExp(`^${profile}-m02\\s+Ready\\s`, 'm'));

  for (const node of [profile, `${profile}-m02`]) {
    const [c] = JSON.parse(docker('inspect', node)) as Array<{ Config: { Image: string; Cmd: string[] }; Mounts: Array<{ Type: string; Source: string; Destination: string }> }>;
    assert.equal(c!.Config.Image, image, node);
    assert.deepEqual(c!.Config.Cmd.slice(0, 2), ['/usr/local/bin/mk', 'agent'], node);
    assert.deepEqual(c!.Mounts.filter((m) => m.Type === 'bind').map((m) => m.Destination), ['/var/run/docker.sock'], `${node}: binds`);
    assert.ok(!c!.Mounts.some((m) => m.Source.startsWith(ROOT)), `${node} mounts nothing of ${ROOT}`);
    assert.equal(docker('exec', node, 'sh', '-c', 'command -v node || echo none').trim(), 'none', `${node} has no Node.js`);
  }
  const again = await mk('start', '-p', profile);
  ok(again, 'mk start of the running cluster');
  assert.equal(again.stdout, `The "${profile}" cluster is already running (2 nodes); nothing changed.\n`);
  assert.equal(again.stderr, '', 'the same mk: no word of another version');
});

test('create deployment, expose, wget through the ClusterIP from a pod, exec, port-forward', async () => {
  ok(await mk('create', 'deployment', 'web', `--image=${TEST_IMAGES.echo}`, '--replicas=2', `--port=${ECHO_PORT}`), 'create deployment');
  ok(await mk('expose', 'deployment', 'web', '--port=80', `--target-port=${ECHO_PORT}`), 'expose');
  // [control plane's pod, worker's pod]
  const pods = await poll('2 web pods Running, one on each node', async () => {
    const r = await mk('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase}{"\\n"}{end}');
    const running = r.stdout.split('\n').filter((l) => l.endsWith(' Running')).map((l) => l.split(' '));
    const on = (node: string) => running.find((p) => p[1] === node)?.[0];
    const both = [on(profile), on(`${profile}-m02`)];
    return running.length === 2 && both.every(Boolean) ? both as string[] : undefined;
  }, { ms: 90_000 });
  const ip = (await mk('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
  assert.match(ip, /^10\.\d+\.\d+\.\d+$/);

  // busybox wget has no timeout flag that works (-T segfaults); poll until the proxy has the Service
  const answer = await poll('an answer through the ClusterIP', async () => {
    const r = await mk('exec', pods[0]!, '--', 'wget', '-qO-', `http://${ip}/`);
    return r.exitCode === 0 ? r.stdout : undefined;
  }, { ms: 60_000 });
  assert.match(answer, /^Hello, world!\nVersion: 1\.0\.0\nHostname: web-/);
  // the executable's node image has curl too
  const curl = await mk('ssh', '--', 'curl', '-s', '--max-time', '5', `http://${ip}/`);
  ok(curl, 'mk ssh -- curl');
  assert.match(curl.stdout, /^Hello, world!\n/);

  const exec = await mk('exec', pods[1]!, '--', 'hostname');
  ok(exec, 'exec');
  assert.equal(exec.stdout, `${pods[1]}\n`);

  const port = await freePort();
  // to the worker's pod: the control plane's agent serves it
  const pf = execa(mkFile, ['port-forward', `pod/${pods[1]}`, `${port}:${ECHO_PORT}`], { env, extendEnv: false, cwd, reject: false, all: true, stdin: 'ignore' });
  children.push(pf);
  let pfOut = '';
  pf.all?.on('data', (c: Buffer) => (pfOut += c.toString()));
  await poll('port-forward to listen', async () => (pfOut.includes(`Forwarding from 127.0.0.1:${port}`) ? true : undefined), { ms: 30_000, last: () => pfOut });
  const body = await httpBody(`http://127.0.0.1:${port}/`, 10_000);
  assert.equal(body, `Hello, world!\nVersion: 1.0.0\nHostname: ${pods[1]}\n`);
  pf.kill('SIGTERM');
  await pf;
});

test('mk dashboard --url from the executable: its page, its embedded React app and an object\'s YAML answer', async () => {
  const d = execa(mkFile, ['dashboard', '-p', profile, '--url'], { env, extendEnv: false, cwd, reject: false, all: true, stdin: 'ignore' });
  children.push(d);
  let out = '';
  d.all?.on('data', (c: Buffer) => (out += c.toString()));
  const url = await poll('mk dashboard --url to print its URL', async () => /^(http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(out)?.[1], { ms: 30_000, last: () => out });
  assert.match(await httpBody(url, 10_000), /<script type="module" src="\/app\.js"><\/script>/);
  // React's production build, embedded: no network, no sources
  assert.match(await httpBody(`${url}app.js`, 10_000), /react\.transitional\.element|react\.element/);
  assert.match(await httpBody(`${url}app.css`, 10_000), /\.arrow/);
  const detail = JSON.parse(await httpBody(`${url}api/object?kind=Service&namespace=default&name=web`, 10_000)) as { yaml: string };
  assert.match(detail.yaml, /^apiVersion: v1\nkind: Service\n/);
  d.kill('SIGINT');
  assert.equal((await d).exitCode, 0, out);
});

test('addons enable ingress from the executable: the web Service answers by Host on each node\'s :80', async () => {
  const en = await mk('addons', 'enable', 'ingress', '-p', profile);
  ok(en, 'addons enable ingress');
  assert.match(en.stdout, /The 'ingress' addon is enabled\n$/);
  const manifest = join(cwd, 'web-ingress.yaml');
  writeFileSync(manifest, [
    'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata: {name: web}',
    'spec:', '  rules:', '  - host: web.example', '    http:', '      paths:',
    '      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}', '',
  ].join('\n'));
  ok(await mk('create', '-f', manifest), 'create ingress');
  const pod = (await mk('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
  for (const node of [profile, `${profile}-m02`]) {
    const ip = (await mk('ip', '-p', profile, '--node', node)).stdout.trim();
    const body = await poll(`web.example via ${node}`, async () => {
      const r = await mk('exec', pod, '--', 'wget', '-qO-', '--header', 'Host: web.example', `http://${ip}/`);
      return r.exitCode === 0 ? r.stdout : undefined;
    }, { ms: 30_000 });
    assert.match(body, /^Hello, world!\nVersion: 1\.0\.0\nHostname: web-/);
  }
  ok(await mk('addons', 'disable', 'ingress', '-p', profile), 'addons disable ingress');
});

test('exec -it in tmux: a prompt, a typed command runs, exit 3 is mk\'s exit code', async () => {
  const pod = (await mk('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
  const sock = `mk-binary-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
  tmux('new-session', '-d', '-s', 'binary', '-x', '120', '-y', '30', `cd ${cwd} && env -i ${vars} mk exec -it ${pod} -- sh; echo "MK-EXIT=$?"; sleep 60`);
  const screen = () => tmux('capture-pane', '-p', '-t', 'binary');
  try {
    await poll('a shell prompt', async () => (/^\/ # ?$/m.test(screen()) ? true : undefined), { ms: 20_000, last: screen });
    tmux('send-keys', '-t', 'binary', 'echo typed-$((6*7)); hostname', 'Enter');
    await poll('the typed command\'s output', async () => (new RegExp(`^typed-42\\r?\\n${pod}$`, 'm').test(screen()) ? true : undefined), { ms: 15_000, last: screen });
    tmux('send-keys', '-t', 'binary', 'exit 3', 'Enter');
    await poll('mk to exit', async () => (/^MK-EXIT=\d+$/m.test(screen()) ? true : undefined), { ms: 15_000, last: screen });
    assert.match(screen(), /^MK-EXIT=3$/m);
  } finally {
    spawnSync('tmux', ['-L', sock, 'kill-server']);
  }
});

test('after an upgrade: another build says so of the running cluster; after a stop it rolls the nodes to its image, keeping every object', async () => {
  // another executable: the same sources, not minified (another bundle, another build id)
  const next = join(work, 'next', 'mk');
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build', 'build.ts'), '--no-minify', '--out', next], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  assert.equal(build.status, 0, `build: ${build.stdout}${build.stderr}`);
  const info = JSON.parse(readFileSync(join(work, 'next', '.build', target, 'build.json'), 'utf8')) as BuildInfo;
  const nextImage = `mk-node:${info.version}-${info.build}`;
  assert.notEqual(nextImage, image);
  if (!(await rt.imageExists(nextImage))) builtImages.push(nextImage);
  const mkNext = (...args: string[]) => runIn(next, args);

  const running = await mkNext('start', '-p', profile);
  ok(running, 'start of the running cluster');
  assert.equal(running.stderr, `! The "${profile}" cluster was started by another mk: its nodes run ${image}, this mk's are ${nextImage}. `
    + `To roll its nodes to this mk, keeping every object: mk stop -p ${profile} && mk start -p ${profile}\n`);

  ok(await mk('stop', '-p', profile), 'stop');
  const rolled = await mkNext('start', '-p', profile);
  ok(rolled, 'start after the upgrade');
  for (const node of [profile, `${profile}-m02`]) {
    assert.match(rolled.stdout, new RegExp(`Rolling node ${node} \\([\\d.]+\\) to ${nextImage.replace(/[.:]/g, '\\$&')}`));
    assert.equal(docker('inspect', '-f', '{{.Config.Image}}', node).trim(), nextImage, node);
  }
  const objects = await mkNext('get', 'deployment,service', 'web', '-o', 'name');
  ok(objects, 'get deployment,service web');
  assert.equal(objects.stdout, 'deployment.apps/web\nservice/web\n');
  const ip = (await mkNext('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
  const answer = await poll('an answer through the ClusterIP after the roll', async () => {
    const pod = (await mkNext('get', 'pods', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    if (!pod) return undefined;
    const r = await mkNext('exec', pod, '--', 'wget', '-qO-', `http://${ip}/`);
    return r.exitCode === 0 ? r.stdout : undefined;
  }, { ms: 90_000 });
  assert.match(answer, /^Hello, world!\nVersion: 1\.0\.0\nHostname: web-/);
});

test('delete removes the cluster: no container, network or volume of it is left', async () => {
  const del = await mk('delete', '-p', profile);
  ok(del, 'delete');
  assert.equal(del.stdout, `Deleting "${profile}" in docker ...\nRemoved all traces of the "${profile}" cluster.\n`);
  assert.deepEqual([...labelled('container'), ...labelled('network'), ...labelled('volume')], []);
});
