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
import { contentsLabel, findNetfilterTools } from './netfilter.ts';

const tools = await findNetfilterTools();
const contents = contentsLabel(tools);

interface Build { tag: string; labels: Record<string, string>; files: Map<string, string> }

/** An engine holding `images` (a tag, or a tag with its labels). */
function fakeEngine(images: Array<string | { tag: string; labels: Record<string, string> }>): { rt: Runtime; builds: Build[] } {
  const builds: Build[] = [];
  const held = images.map((i) => (typeof i === 'string' ? { tag: i, labels: {} } : i));
  const rt = {
    imageExists: async (ref: string) => held.some((i) => i.tag === ref),
    listImages: async () => held.map((i) => ({ id: i.tag, tags: [i.tag], size: 0, createdAt: new Date(0), labels: i.labels })),
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
  const { rt, builds } = fakeEngine([{ tag: 'mk-node:1.2.3-0123456789ab', labels: { 'mk.contents': contents } }]);
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
  assert.deepEqual(b.labels, { 'mk.image': 'node', 'mk.version': '1.2.3-0123456789ab', 'mk.contents': contents, 'mk.test': 'x' });
  if (tools.present.includes('iptables')) assert.equal(b.files.get('rootfs/usr/sbin/iptables'), '-> xtables-nft-multi');
  if (tools.present.includes('conntrack')) assert.ok(b.files.has('rootfs/usr/sbin/conntrack'));
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
