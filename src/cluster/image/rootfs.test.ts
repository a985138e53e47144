// The build-context tar: parents first, duplicates dropped, host files streamed with their mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { packTar, withParents } from './rootfs.ts';
import type { Entry } from './rootfs.ts';

test('withParents puts each directory before its children, once', () => {
  const got = withParents([
    { type: 'file', path: '/etc/passwd', content: 'x' },
    { type: 'symlink', path: 'bin/sh', target: 'busybox' },
    { type: 'file', path: '/etc/group', content: 'y' },
    { type: 'file', path: '/etc/passwd', content: 'second, dropped' },
    { type: 'dir', path: '/tmp/', mode: 0o1777 },
  ]).map((e) => `${e.type} ${e.path}`);
  assert.deepEqual(got, ['dir etc', 'file etc/passwd', 'dir bin', 'symlink bin/sh', 'file etc/group', 'dir tmp']);
});

test('packTar writes files, host files (through symlinks), links and dirs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mk-rootfs-'));
  try {
    await writeFile(join(dir, 'real'), 'host bytes', { mode: 0o750 });
    await symlink(join(dir, 'real'), join(dir, 'link'));
    const entries: Entry[] = [
      { type: 'file', path: '/etc/hostname', content: 'pod\n' },
      { type: 'hostFile', path: '/usr/lib/libx.so', hostPath: join(dir, 'link') },
      { type: 'symlink', path: '/bin/sh', target: 'busybox' },
      { type: 'dir', path: '/tmp', mode: 0o1777 },
    ];
    const seen: string[] = [];
    const extract = tar.extract();
    packTar(entries).pipe(extract);
    for await (const e of extract) {
      let body = '';
      for await (const c of e) body += (c as Buffer).toString();
      const h = e.header;
      seen.push(`${h.type} ${h.name} ${(h.mode ?? 0).toString(8)}${h.linkname ? ` -> ${h.linkname}` : ''}${body ? ` ${JSON.stringify(body)}` : ''}`);
    }
    assert.deepEqual(seen, [
      'directory etc 755',
      'file etc/hostname 644 "pod\\n"',
      'directory usr 755',
      'directory usr/lib 755',
      'file usr/lib/libx.so 750 "host bytes"',
      'directory bin 755',
      'symlink bin/sh 777 -> busybox',
      'directory tmp 1777',
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('packTar fails the stream when a host file is missing', async () => {
  const s = packTar([{ type: 'hostFile', path: '/x', hostPath: '/nonexistent/mk-test-file' }]);
  await assert.rejects(async () => { for await (const _ of s) { /* drain */ } }, /ENOENT/);
});
