// The images mk builds offline, on a real engine: the node image (FROM scratch with the running
// Node.js) runs node 24, busybox and mk's own TypeScript from the bind-mounted package; the test
// images serve what e2e suites expect. The node image is built under a test tag, labelled
// mk.test=<random> and removed in `after`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { LABELS } from '../../../src/runtime/index.ts';
import type { ContainerSpec } from '../../../src/runtime/index.ts';
import { MK_DIR_IN_NODE, NODE_IMAGE_REVISION, PACKAGE_ROOT, ensureNodeImage, nodeImageTag } from '../../../src/cluster/image/node-image.ts';
import { ECHO_PORT, TEST_IMAGES, ensureTestImages } from '../../images/index.ts';
import { cleanup, suite, waitFor } from './helpers.ts';

const s = suite();
const { rt } = s;
const version = `test-${s.id}`;

before(() => rt.ping());
after(() => cleanup(s));

/** runs a container to its end and returns its exit code and output */
async function runToEnd(spec: Omit<ContainerSpec, 'labels' | 'name'> & { name: string }): Promise<{ code: number; out: string }> {
  const id = await rt.createContainer({ ...spec, name: s.name(spec.name), labels: s.labels });
  await rt.startContainer(id);
  const st = await waitFor('the container to exit', async () => {
    const x = await rt.inspectContainer(id);
    return x.running ? undefined : x;
  }, 30000);
  const out = await text(await rt.logs(id));
  await rt.removeContainer(id);
  return { code: st.exitCode, out };
}

test('the node image is built offline from scratch, then found', async () => {
  const first = await ensureNodeImage(rt, { version, scratchOnly: true, labels: s.labels });
  assert.deepEqual({ tag: first.tag, built: first.built, base: first.base }, { tag: nodeImageTag(version), built: true, base: 'scratch' });
  assert.equal(first.tag, `mk-node:${version}-${NODE_IMAGE_REVISION}`);
  const again = await ensureNodeImage(rt, { version, labels: s.labels });
  assert.deepEqual({ built: again.built, base: again.base }, { built: false, base: 'existing' });
  const [img] = await rt.listImages(s.labels);
  assert.deepEqual(img?.tags, [first.tag]);
  assert.equal(img?.labels[LABELS.image], 'node');
  assert.equal(img?.labels[LABELS.version], version);
});

test('the node image runs node 24, busybox tools and mk\'s TypeScript from the mounted package', async (t) => {
  await ensureNodeImage(rt, { version, scratchOnly: true, labels: s.labels });
  const image = nodeImageTag(version);
  await t.test('node', async () => {
    const r = await runToEnd({ name: 'node-v', image, cmd: ['node', '-e', 'console.log(process.version)'] });
    assert.deepEqual(r, { code: 0, out: `${process.version}\n` });
    assert.match(r.out, /^v24\./);
  });
  await t.test('busybox ip, sh, nslookup present', async () => {
    const r = await runToEnd({ name: 'node-bb', image, cmd: ['sh', '-c', 'busybox ip -o addr show lo | grep -c 127.0.0.1; which ip wget nslookup nc'] });
    assert.deepEqual(r, { code: 0, out: '1\n/bin/ip\n/bin/wget\n/bin/nslookup\n/bin/nc\n' });
  });
  await t.test('mk sources bind-mounted read-only', async () => {
    const r = await runToEnd({
      name: 'node-mk', image, workingDir: MK_DIR_IN_NODE,
      mounts: [{ type: 'bind', source: PACKAGE_ROOT, target: MK_DIR_IN_NODE, readOnly: true }],
      cmd: ['node', '-e', `import('${MK_DIR_IN_NODE}/src/runtime/labels.ts').then((m) => console.log(m.LABELS.podUid))`],
    });
    assert.deepEqual(r, { code: 0, out: 'mk.pod-uid\n' });
  });
});

test('test images: busybox has the tools, echo answers like hello-app with its hostname', async (t) => {
  await ensureTestImages(rt);
  await t.test('busybox', async () => {
    const r = await runToEnd({ name: 'bb', image: TEST_IMAGES.busybox, cmd: ['sh', '-c', 'for a in nc wget nslookup httpd sleep; do which $a; done'] });
    assert.deepEqual(r, { code: 0, out: '/bin/nc\n/bin/wget\n/bin/nslookup\n/bin/httpd\n/bin/sleep\n' });
  });
  await t.test('echo over a published loopback port', async () => {
    const id = await rt.createContainer({
      name: s.name('echo'), image: TEST_IMAGES.echo, labels: s.labels, hostname: 'hello-world-abc12',
      publish: [{ containerPort: ECHO_PORT, hostIp: '127.0.0.1' }],
    });
    await rt.startContainer(id);
    const port = (await rt.inspectContainer(id)).publishedPorts.find((p) => p.containerPort === ECHO_PORT)?.hostPort;
    assert.ok(port && port > 0);
    const want = 'Hello, world!\nVersion: 1.0.0\nHostname: hello-world-abc12\n';
    const body = await waitFor('the echo server to answer', async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        return res.status === 200 ? await res.text() : undefined;
      } catch {
        return undefined;
      }
    });
    assert.equal(body, want);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/again`)).text(), want);
    await rt.removeContainer(id);
  });
  await t.test('echo: VERSION env changes the version line', async () => {
    const id = await rt.createContainer({ name: s.name('echo-v2'), image: TEST_IMAGES.echo, labels: s.labels, hostname: 'v2', env: { VERSION: '2.0.0' } });
    await rt.startContainer(id);
    const ex = await waitFor('the echo server to answer', async () => {
      const e = await rt.exec(id, ['wget', '-q', '-O', '-', `http://127.0.0.1:${ECHO_PORT}/`]);
      const out = await text(e.stdout);
      return (await e.exitCode()) === 0 ? out : undefined;
    });
    assert.equal(ex, 'Hello, world!\nVersion: 2.0.0\nHostname: v2\n');
  });
});
