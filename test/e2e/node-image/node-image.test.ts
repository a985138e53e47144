// `mk node add|list|delete` and `mk image ls|load|build` on a real Docker engine: a one-node
// cluster under a random profile gets a worker, a 2-replica Deployment spreads over both
// nodes, deleting the worker drains it (its pod comes back on the control plane) and leaves no
// container of it; an image saved with the runtime, removed, then loaded from the tar is back;
// `image ls` lists the test images. HOME and KUBECONFIG point at a temp dir; the cluster and
// the images made here are removed in `after` whatever happened.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { LABELS, dockerRuntime } from '../../../src/runtime/index.ts';
import { packTar } from '../../../src/cluster/image/rootfs.ts';
import { TEST_IMAGES } from '../../images/index.ts';
import { ok, poll, startFlow, type Flow, type PollOptions } from '../flows/cluster.ts';

const id = randomBytes(3).toString('hex');
let f: Flow;
let profile = '';
let worker = '';
let home = '';
const rt = dockerRuntime();
const loadTag = `mk-test/load-${id}:1`;
const buildTag = `mk-test/build-${id}:1`;

const mk = (...args: string[]) => f.mk(...args);
const kubectl = (...args: string[]) => f.kubectl('kubectl', ...args);
const waitFor = <T>(what: string, g: () => Promise<T | undefined>, o: PollOptions = {}) => poll(what, g, { ms: 90_000, retryErrors: true, ...o });

/** `pod node phase` lines of the web Deployment's pods that are not terminating */
async function webPods(): Promise<string[]> {
  const r = await kubectl('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase} {.metadata.deletionTimestamp}{"\\n"}{end}');
  ok(r, 'get pods');
  return r.stdout.split('\n').filter(Boolean).map((l) => l.trim()).filter((l) => l.split(' ').length === 3);
}

before(async () => {
  f = await startFlow('node-image', { nodes: 1 });
  profile = f.profile;
  worker = `${profile}-m02`;
  home = f.home;
});

after(async () => {
  await f?.teardown();
  for (const i of await rt.listImages({ [LABELS.test]: id })) await rt.removeImage(i.id);
  await rt.removeImage(loadTag);
  await rt.removeImage(buildTag);
});

test('node add, list, a Deployment spread over both nodes, node delete drains and removes', async () => {
  const add = await mk('node', 'add', '-p', profile);
  ok(add, 'node add');
  assert.equal(add.stdout, `Adding node ${worker} to cluster ${profile} ...\nNode ${worker} added to cluster ${profile}\n`);

  const nodes = await kubectl('get', 'nodes');
  ok(nodes, 'get nodes');
  assert.match(nodes.stdout, new RegExp(`^${profile}\\s+Ready\\s+control-plane`, 'm'));
  assert.match(nodes.stdout, new RegExp(`^${worker}\\s+Ready\\s`, 'm'));

  const list = await mk('node', 'list', '-p', profile);
  ok(list, 'node list');
  assert.match(list.stdout, new RegExp(`^${profile}\\t(\\d+\\.\\d+)\\.0\\.2\\n${worker}\\t\\1\\.0\\.3\\n$`));
  const profileFile = JSON.parse(readFileSync(join(home, '.mk', 'profiles', `${profile}.json`), 'utf8')) as { nodes: Array<{ name: string; podCIDR: string }> };
  assert.deepEqual(profileFile.nodes.map((n) => n.name), [profile, worker]);
  assert.match(profileFile.nodes[1]!.podCIDR, /^\d+\.\d+\.2\.0\/24$/);

  ok(await kubectl('create', 'deployment', 'web', `--image=${TEST_IMAGES.echo}`, '--replicas=2'), 'create deployment');
  const spread = await waitFor('2 web pods Running on both nodes', async () => {
    const pods = await webPods();
    const running = pods.filter((p) => p.endsWith(' Running'));
    return running.length === 2 && new Set(running.map((p) => p.split(' ')[1])).size === 2 ? running : undefined;
  });
  const onWorker = spread.find((p) => p.split(' ')[1] === worker)!.split(' ')[0]!;

  const del = await mk('node', 'delete', '-p', profile, 'm02');
  ok(del, 'node delete');
  assert.equal(del.stdout, `Deleting node ${worker} from cluster ${profile}\nDrained node ${worker}: 1 pod evicted\nDeleting "${worker}" in docker ...\nNode ${worker} deleted\n`);

  const back = await waitFor('2 web pods Running on the control plane', async () => {
    const running = (await webPods()).filter((p) => p.endsWith(' Running'));
    return running.length === 2 && running.every((p) => p.split(' ')[1] === profile) ? running : undefined;
  });
  assert.ok(!back.some((p) => p.startsWith(`${onWorker} `)), 'the evicted pod was replaced by a new one');
  // any container of the worker, whatever its other labels
  assert.deepEqual(execFileSync('docker', ['container', 'ls', '-qa', '--filter', `label=mk.node=${worker}`], { encoding: 'utf8' }).split('\n').filter(Boolean), []);
  const after = await kubectl('get', 'nodes', '-o', 'name');
  assert.equal(after.stdout, `node/${profile}\n`);
  const list2 = await mk('node', 'list', '-p', profile);
  assert.match(list2.stdout, new RegExp(`^${profile}\\t\\d+\\.\\d+\\.0\\.2\\n$`));

  const cp = await mk('node', 'delete', '-p', profile, profile);
  assert.equal(cp.exitCode, 1);
  assert.match(cp.stderr, new RegExp(`node ${profile} is the control plane of "${profile}" and cannot be deleted`));
  const missing = await mk('node', 'delete', '-p', profile, 'm09');
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, new RegExp(`node ${profile}-m09 not found in profile "${profile}"`));
});

test('image ls lists the engine\'s images; image load takes a tar or says an image is usable at once; image build', async () => {
  const ls = await mk('image', 'ls', '-p', profile);
  ok(ls, 'image ls');
  assert.match(ls.stdout, /^docker\.io\/mk-test\/busybox:1\.35$/m);
  assert.match(ls.stdout, /^docker\.io\/mk-test\/echo:1\.0$/m);

  const present = await mk('image', 'load', '-p', profile, TEST_IMAGES.busybox);
  ok(present, 'image load of an engine image');
  assert.equal(present.stdout, `Image docker.io/mk-test/busybox:1.35 is in the Docker engine that runs the pods of "${profile}": it is usable at once, nothing to load.\n`);

  // an image only this test has: built, saved to a tar with the runtime, removed, loaded back
  await rt.buildImage(packTar([{ type: 'file', path: 'Dockerfile', content: 'FROM scratch\nCOPY hello /hello\n' }, { type: 'file', path: 'hello', content: id }]), loadTag, { [LABELS.test]: id });
  const tar = join(home, 'image.tar');
  await pipeline(await rt.saveImage(loadTag), createWriteStream(tar));
  await rt.removeImage(loadTag);
  assert.equal(await rt.imageExists(loadTag), false);
  const load = await mk('image', 'load', '-p', profile, tar);
  ok(load, 'image load of a tar');
  assert.equal(load.stdout, `Loaded image: docker.io/${loadTag}\nIt is usable by the pods of "${profile}" at once.\n`);
  assert.equal(await rt.imageExists(loadTag), true);

  const bad = join(home, 'bad.tar');
  writeFileSync(bad, 'not a tar');
  const refused = await mk('image', 'load', '-p', profile, bad);
  assert.equal(refused.exitCode, 1);
  assert.match(refused.stderr, /could not load .*bad\.tar/);
  const none = await mk('image', 'load', '-p', profile, 'mk-test/nothing:0');
  assert.equal(none.exitCode, 1);
  assert.match(none.stderr, /no image "mk-test\/nothing:0" in the Docker engine, and no file by that name/);

  const dir = join(home, 'ctx');
  mkdirSync(join(dir, 'etc'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY etc /etc\n');
  writeFileSync(join(dir, 'etc', 'motd'), 'hi\n');
  const build = await mk('image', 'build', '-p', profile, '-t', buildTag, dir);
  ok(build, 'image build');
  assert.equal(build.stdout, `Built docker.io/${buildTag}: usable by the pods of "${profile}" at once.\n`);
  assert.match((await mk('image', 'ls', '-p', profile)).stdout, new RegExp(`^docker\\.io/${buildTag.replace(/[/.]/g, '\\$&')}$`, 'm'));
});
