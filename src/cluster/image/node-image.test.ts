// ensureNodeImage's choices, against a fake engine that records the build context: existing tag
// → nothing built; a local Node.js base → templates/node/Dockerfile; none → FROM scratch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tar from 'tar-stream';
import type { Runtime } from '../../runtime/types.ts';
import { ensureNodeImage } from './node-image.ts';
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
      (ctx as unknown as NodeJS.ReadableStream).pipe(ex as unknown as NodeJS.WritableStream);
      for await (const e of ex) {
        let size = 0;
        let head = '';
        for await (const c of e) { size += (c as Buffer).length; if (head.length < 400) head += (c as Buffer).toString('latin1'); }
        files.set(e.header.name, e.header.type === 'symlink' ? `-> ${e.header.linkname}` : e.header.name === 'Dockerfile' ? head : `${e.header.type} ${size}`);
      }
      builds.push({ tag, labels, files });
    },
  } as unknown as Runtime;
  return { rt, builds };
}

test('an existing tag carrying what this machine gives is used as it is; one made before iptables is made again', async () => {
  const { rt, builds } = fakeEngine([{ tag: 'mk-node:1.2.3-r2', labels: { 'mk.contents': contents } }]);
  const r = await ensureNodeImage(rt, { version: '1.2.3' });
  assert.deepEqual({ tag: r.tag, built: r.built, base: r.base }, { tag: 'mk-node:1.2.3-r2', built: false, base: 'existing' });
  assert.equal(builds.length, 0);
  const older = fakeEngine(['mk-node:1.2.3-r2']);
  assert.equal((await ensureNodeImage(older.rt, { version: '1.2.3', scratchOnly: true })).built, true);
  assert.equal(older.builds[0]!.labels['mk.contents'], contents);
});

test('a local node:24-slim is used as the base, with busybox tools under /usr/local/bin', async () => {
  const { rt, builds } = fakeEngine(['node:24-slim']);
  const r = await ensureNodeImage(rt, { version: '1.2.3', labels: { 'mk.test': 'x' } });
  assert.deepEqual({ built: r.built, base: r.base }, { built: true, base: 'node:24-slim' });
  const b = builds[0]!;
  assert.equal(b.tag, 'mk-node:1.2.3-r2');
  assert.deepEqual(b.labels, { 'mk.image': 'node', 'mk.version': '1.2.3', 'mk.contents': contents, 'mk.test': 'x' });
  assert.match(b.files.get('Dockerfile')!, /^FROM node:24-slim$/m);
  if (tools.present.includes('iptables')) {
    assert.equal(b.files.get('rootfs/usr/sbin/iptables-restore'), '-> xtables-nft-multi');
    assert.ok([...b.files.keys()].some((k) => /^rootfs\/.*\/libxtables\.so\.\d+$/.test(k)), 'libxtables');
    // curl's own libraries stay apart, under mk-curl, with its own loader
    assert.ok(![...b.files.keys()].some((k) => /\/libc\.so\.6$/.test(k) && !k.includes('/mk-curl/')), 'the base keeps its own glibc');
  }
  assert.equal(b.files.get('rootfs/usr/local/bin/ip'), '-> busybox');
  assert.equal(b.files.get('rootfs/usr/local/bin/nslookup'), '-> busybox');
  assert.ok(!b.files.has('rootfs/bin/sh'), 'the base keeps its own /bin/sh');
  assert.match(b.files.get('rootfs/usr/local/bin/curl')!, /^file \d+$/, 'a curl that runs its own libraries');
  assert.match(b.files.get('rootfs/usr/local/lib/mk-curl/curl')!, /^file \d+$/);
  assert.ok(b.files.has('rootfs/usr/local/lib/mk-curl/libcurl.so.4'));
});

test('without a base: FROM scratch with node, its libraries, busybox and /etc', async () => {
  const { rt, builds } = fakeEngine(['node:24-slim']);
  const r = await ensureNodeImage(rt, { version: '9', scratchOnly: true });
  assert.deepEqual({ built: r.built, base: r.base }, { built: true, base: 'scratch' });
  const f = builds[0]!.files;
  assert.match(f.get('Dockerfile')!, /^FROM scratch$/m);
  assert.match(f.get('rootfs/usr/local/bin/node')!, /^file \d{7,}$/);
  assert.ok([...f.keys()].some((k) => /^rootfs\/lib(64)?\/.*ld-linux.*\.so\.\d$/.test(k)), 'the dynamic loader');
  assert.ok([...f.keys()].some((k) => /^rootfs\/.*\/libc\.so\.6$/.test(k)), 'libc');
  for (const a of ['sh', 'ip', 'wget', 'nslookup', 'cat', 'ls', 'sleep']) assert.equal(f.get(`rootfs/bin/${a}`), '-> busybox', a);
  for (const p of ['rootfs/etc/passwd', 'rootfs/etc/group', 'rootfs/etc/nsswitch.conf']) assert.ok(f.has(p), p);
  for (const d of ['rootfs/tmp', 'rootfs/opt/mk', 'rootfs/var/lib/mk']) assert.equal(f.get(d), 'directory 0', d);
  assert.match(f.get('rootfs/usr/bin/curl')!, /^file \d+$/, 'curl');
  assert.ok([...f.keys()].some((k) => /^rootfs\/.*\/libcurl\.so\.4$/.test(k)), 'libcurl');
  if (tools.present.includes('iptables')) {
    for (const n of ['iptables', 'iptables-save', 'iptables-restore']) assert.equal(f.get(`rootfs/usr/sbin/${n}`), '-> xtables-nft-multi', n);
    assert.match(f.get('rootfs/usr/sbin/xtables-nft-multi')!, /^file \d+$/);
    for (const m of ['libxt_statistic', 'libxt_recent', 'libxt_comment', 'libxt_addrtype', 'libxt_DNAT', 'libxt_MASQUERADE']) {
      assert.ok([...f.keys()].some((k) => k.endsWith(`/xtables/${m}.so`)), m);
    }
  }
  if (tools.present.includes('conntrack')) assert.match(f.get('rootfs/usr/sbin/conntrack')!, /^file \d+$/);
});

test('force rebuilds an existing tag', async () => {
  const { rt, builds } = fakeEngine(['mk-node:1-r2']);
  assert.equal((await ensureNodeImage(rt, { version: '1', force: true, scratchOnly: true })).built, true);
  assert.equal(builds.length, 1);
});
