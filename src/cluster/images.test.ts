import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageSummary, Runtime } from '../runtime/types.ts';
import { renderImageList } from '../cli/cluster-views.ts';
import { contextEntries, fullImageName, listClusterImages, loadClusterImage } from './images.ts';

test('fullImageName normalises like docker and minikube image ls', async (t) => {
  const cases: Array<[string, string]> = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['mk-test/busybox:1.35', 'docker.io/mk-test/busybox:1.35'],
    ['docker.io/library/redis:7', 'docker.io/library/redis:7'],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost/app:2', 'localhost/app:2'],
    ['gcr.io/google-samples/hello-app:1.0', 'gcr.io/google-samples/hello-app:1.0'],
    ['busybox@sha256:abc', 'docker.io/library/busybox@sha256:abc'],
  ];
  for (const [in_, want] of cases) await t.test(in_, () => assert.equal(fullImageName(in_), want));
});

/** images by tag, a profile with one node container, loads recorded */
function fakeRuntime(o: { images: ImageSummary[]; nodes?: boolean; loads?: string[] }): Runtime {
  return {
    async ping() {},
    async listContainers() {
      return o.nodes === false ? [] : [{ id: 'n1', name: 'mk', image: 'mk-node:1', labels: { 'mk.cluster': 'mk', 'mk.role': 'control-plane', 'mk.node': 'mk' }, state: 'running', status: '', createdAt: new Date(0) }];
    },
    async listImages() { return o.images; },
    async imageExists(ref: string) { return o.images.some((i) => i.tags.includes(ref)); },
    async loadImage(tar: NodeJS.ReadableStream) {
      let text = '';
      for await (const c of tar as AsyncIterable<Buffer>) text += c.toString();
      if (!text.startsWith('TAR')) throw new Error('unexpected EOF');
      o.loads?.push(text);
      return ['loaded/app:1'];
    },
  } as unknown as Runtime;
}

const img = (...tags: string[]): ImageSummary => ({ id: `sha256:${tags[0] ?? 'x'}`, tags, size: 1, createdAt: new Date(0), labels: {} });

test('image ls: every tag of the engine, full names, sorted and unique', async () => {
  const rt = fakeRuntime({ images: [img('nginx:latest', 'docker.io/library/nginx:latest'), img(), img('mk-test/echo:1.0'), img('registry.k8s.io/pause:3.9')] });
  const out = renderImageList(await listClusterImages(rt, 'mk'));
  assert.equal(out, 'docker.io/library/nginx:latest\ndocker.io/mk-test/echo:1.0\nregistry.k8s.io/pause:3.9\n');
  await assert.rejects(listClusterImages(fakeRuntime({ images: [], nodes: false }), 'gone'), /Profile "gone" not found/);
});

test('image load: an engine image, a tar file, and neither', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-images-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'good.tar'), 'TAR bytes');
  writeFileSync(join(dir, 'bad.tar'), 'garbage');
  const loads: string[] = [];
  const rt = fakeRuntime({ images: [img('nginx:latest')], loads });
  const cases: Array<{ name: string; arg: string; out?: string; error?: RegExp }> = [
    { name: 'already in the engine', arg: 'nginx:latest', out: 'Image docker.io/library/nginx:latest is in the Docker engine that runs the pods of "mk": it is usable at once, nothing to load.\n' },
    { name: 'a tar file', arg: join(dir, 'good.tar'), out: 'Loaded image: docker.io/loaded/app:1\nIt is usable by the pods of "mk" at once.\n' },
    { name: 'a tar the engine refuses', arg: join(dir, 'bad.tar'), error: /could not load .*bad\.tar: unexpected EOF/ },
    { name: 'a directory', arg: dir, error: /is a directory/ },
    { name: 'nothing by that name', arg: 'nope:1', error: /no image "nope:1" in the Docker engine, and no file by that name/ },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      let out = '';
      const p = loadClusterImage(rt, 'mk', c.arg, (s) => (out += s));
      if (c.error) await assert.rejects(p, c.error);
      else { await p; assert.equal(out, c.out); }
    });
  }
  assert.deepEqual(loads, ['TAR bytes']);
});

test('contextEntries: files and directories relative to the build directory', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-ctx-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'main.sh'), 'echo hi\n');
  const got = contextEntries(dir).map((e) => `${e.type} ${e.path}`).sort();
  assert.deepEqual(got, ['dir app', 'hostFile Dockerfile', 'hostFile app/main.sh']);
});
