// The executable's node image, against a fake engine that records the build context: the tag
// names the build, an existing tag is used as it is, and the context holds the executable at
// /usr/local/bin/mk, its libraries, busybox with its applets, /etc and the state directory —
// no Node.js, nothing for a source mount.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import tar from 'tar-stream';
import type { Runtime } from '../../runtime/types.ts';
import { busyboxApplets } from './base.ts';
import { binaryImageTag, ensureBinaryImage, type ImageExecutable } from './binary-image.ts';

interface Build { tag: string; labels: Record<string, string>; files: Map<string, string> }

function fakeEngine(images: string[]): { rt: Runtime; builds: Build[] } {
  const builds: Build[] = [];
  const rt = {
    imageExists: async (ref: string) => images.includes(ref),
    buildImage: async (ctx: NodeJS.ReadableStream, tag: string, labels: Record<string, string> = {}) => {
      const files = new Map<string, string>();
      const ex = tar.extract();
      ctx.pipe(ex as unknown as NodeJS.WritableStream);
      for await (const e of ex) {
        let size = 0;
        let text = '';
        for await (const c of e) { size += (c as Buffer).length; if (text.length < 2000) text += (c as Buffer).toString('latin1'); }
        const h = e.header;
        files.set(h.name, h.type === 'symlink' ? `-> ${h.linkname}` : h.name === 'Dockerfile' ? text : `${h.type} ${size} ${(h.mode ?? 0).toString(8)}`);
      }
      builds.push({ tag, labels, files });
    },
  } as unknown as Runtime;
  return { rt, builds };
}

// the running node stands in for the executable: a dynamically linked Linux binary
const exe = async (): Promise<ImageExecutable> => ({ path: process.execPath, version: '1.2.3', build: '0123456789ab', applets: await busyboxApplets() });

test('the tag names the version and the build', () => {
  assert.equal(binaryImageTag({ version: '1.2.3', build: '0123456789ab' }), 'mk-node:1.2.3-0123456789ab');
});

test('an existing tag is used as it is', async () => {
  const { rt, builds } = fakeEngine(['mk-node:1.2.3-0123456789ab']);
  const r = await ensureBinaryImage(rt, { exe: await exe(), busybox: Buffer.from('bb') });
  assert.deepEqual({ tag: r.tag, built: r.built }, { tag: 'mk-node:1.2.3-0123456789ab', built: false });
  assert.equal(builds.length, 0);
});

test('FROM scratch: the executable, its libraries, busybox, /etc, the state directory; no Node.js, no /opt/mk', async () => {
  const { rt, builds } = fakeEngine([]);
  const busybox = readFileSync('/bin/busybox');
  const r = await ensureBinaryImage(rt, { exe: await exe(), busybox, labels: { 'mk.test': 'x' } });
  assert.deepEqual({ tag: r.tag, built: r.built, base: r.base }, { tag: 'mk-node:1.2.3-0123456789ab', built: true, base: 'executable' });
  const b = builds[0]!;
  assert.deepEqual(b.labels, { 'mk.image': 'node', 'mk.version': '1.2.3-0123456789ab', 'mk.test': 'x' });
  assert.match(b.files.get('Dockerfile')!, /^FROM scratch$/m);
  assert.match(b.files.get('Dockerfile')!, /^CMD \["mk", "agent"\]$/m);
  assert.equal(b.files.get('rootfs/usr/local/bin/mk'), `file ${readFileSync(process.execPath).length} 755`);
  assert.equal(b.files.get('rootfs/bin/busybox'), `file ${busybox.length} 755`);
  const keys = [...b.files.keys()];
  assert.ok(keys.some((k) => /^rootfs\/lib(64)?\/.*ld-linux.*\.so\.\d$/.test(k)), 'the dynamic loader');
  assert.ok(keys.some((k) => /^rootfs\/.*\/libc\.so\.6$/.test(k)), 'libc');
  for (const a of ['sh', 'ip', 'wget', 'nslookup', 'nc', 'sleep']) assert.equal(b.files.get(`rootfs/bin/${a}`), '-> busybox', a);
  for (const p of ['rootfs/etc/passwd', 'rootfs/etc/group', 'rootfs/etc/nsswitch.conf']) assert.ok(b.files.has(p), p);
  assert.match(b.files.get('rootfs/var/lib/mk')!, /^directory 0 /);
  assert.ok(!keys.some((k) => /\/node$/.test(k) || k.startsWith('rootfs/opt/mk')), keys.filter((k) => /node|opt/.test(k)).join(' '));
});
