// ldd output → library files to copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../lib/errors.ts';
import { parseLdd, sharedLibraries } from './libs.ts';

test('parseLdd', async (t) => {
  const cases = [
    {
      name: "Node 24's libraries on Debian 12",
      in: `\tlinux-vdso.so.1 (0x00007fb5598fe000)
\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007fb5598e8000)
\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007fb559600000)
\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007fb559520000)
\tlibgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0x00007fb5598c8000)
\tlibpthread.so.0 => /lib/x86_64-linux-gnu/libpthread.so.0 (0x00007fb5598c3000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fb55933e000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007fb559900000)
`,
      want: ['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib/x86_64-linux-gnu/libm.so.6',
        '/lib/x86_64-linux-gnu/libgcc_s.so.1', '/lib/x86_64-linux-gnu/libpthread.so.0', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'],
    },
    { name: 'arm64 loader', in: '\tlinux-vdso.so.1 (0x0)\n\tlibc.so.6 => /lib/aarch64-linux-gnu/libc.so.6 (0x1)\n\t/lib/ld-linux-aarch64.so.1 (0x2)\n', want: ['/lib/aarch64-linux-gnu/libc.so.6', '/lib/ld-linux-aarch64.so.1'] },
    { name: 'static', in: '\tstatically linked\n', want: [] },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(parseLdd(c.in), c.want));
  await t.test('a missing library is the user’s to fix', () => {
    assert.throws(() => parseLdd('\tlibfoo.so.1 => not found\n'), (e: unknown) => e instanceof UserError && /libfoo\.so\.1 => not found/.test(e.message));
  });
});

test('sharedLibraries of the running node includes libc and the loader; of static busybox none', async () => {
  const libs = await sharedLibraries(process.execPath);
  assert.ok(libs.some((l) => /\/libc\.so\.6$/.test(l)), libs.join(' '));
  assert.ok(libs.some((l) => /\/ld-linux[^/]*\.so\.\d$/.test(l)), libs.join(' '));
  assert.deepEqual(await sharedLibraries('/bin/busybox'), []);
});
