// hostPath type checks: what each type makes or refuses, with the kubelet's messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostPath } from './hostpath.ts';

const root = mkdtempSync(join(tmpdir(), 'mk-hostpath-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'dir'));
writeFileSync(join(root, 'file'), 'x');

const cases: Array<{ type: string; path: string; want: string }> = [
  { type: '', path: 'missing-any', want: 'directory' },
  { type: '', path: 'file', want: 'file' },
  { type: 'DirectoryOrCreate', path: 'made/deep', want: 'directory' },
  { type: 'DirectoryOrCreate', path: 'file', want: 'hostPath type check failed: /x/file is not a directory' },
  { type: 'Directory', path: 'dir', want: 'directory' },
  { type: 'Directory', path: 'nope', want: 'hostPath type check failed: /x/nope is not a directory' },
  { type: 'FileOrCreate', path: 'new/file.log', want: 'file' },
  { type: 'FileOrCreate', path: 'dir', want: 'hostPath type check failed: /x/dir is not a file' },
  { type: 'File', path: 'file', want: 'file' },
  { type: 'File', path: 'nope', want: 'hostPath type check failed: /x/nope is not a file' },
  { type: 'Socket', path: 'file', want: 'hostPath type check failed: /x/file is not a socket file' },
  { type: 'CharDevice', path: 'file', want: 'hostPath type check failed: /x/file is not a character device' },
  { type: 'BlockDevice', path: 'nope', want: 'hostPath type check failed: /x/nope is not a block device' },
];

test('hostPath types', async (t) => {
  for (const c of cases) {
    await t.test(`${c.type || '""'} ${c.path}`, async () => {
      const got = await checkHostPath(join(root, c.path), `/x/${c.path}`, c.type).catch((e: Error) => e.message);
      assert.equal(got, c.want);
    });
  }
  assert.equal(statSync(join(root, 'made/deep')).mode & 0o777, 0o755);
  assert.equal(statSync(join(root, 'new/file.log')).size, 0);
});

test('a socket passes Socket', async () => {
  const path = join(root, 's.sock');
  const srv = createServer().listen(path);
  await new Promise((r) => srv.once('listening', r));
  try {
    assert.equal(await checkHostPath(path, '/run/s.sock', 'Socket'), 'file');
  } finally {
    srv.close();
  }
});
