// curl's files for the node image: at the loader's paths in a scratch image, kept apart with a
// wrapper on a base image, and a note instead of files when the host has no curl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { curlEntries, HOST_CURL } from './curl.ts';

const hasCurl = existsSync(HOST_CURL);

test('scratch: /usr/bin/curl and its libraries where ldd found them', { skip: !hasCurl && 'no curl on this machine' }, async () => {
  const c = await curlEntries('scratch');
  assert.equal(c.absent, undefined);
  const paths = c.entries.map((e) => e.path);
  assert.ok(paths.includes('/usr/bin/curl'));
  assert.ok(paths.some((p) => /\/libcurl\.so\.4$/.test(p) && !p.startsWith('/usr/local/lib/mk-curl')));
});

test('base: a wrapper running curl with its own loader and libraries', { skip: !hasCurl && 'no curl on this machine' }, async () => {
  const c = await curlEntries('base');
  const wrapper = c.entries.find((e) => e.path === '/usr/local/bin/curl');
  assert.ok(wrapper && wrapper.type === 'file');
  assert.match(String(wrapper.content), /^#!\/bin\/sh\nexec \/usr\/local\/lib\/mk-curl\/ld-linux[^ ]+ --library-path \/usr\/local\/lib\/mk-curl \/usr\/local\/lib\/mk-curl\/curl "\$@"\n$/);
  assert.ok(c.entries.every((e) => e.path.startsWith('/usr/local/') || e.path.startsWith('/etc/ssl/')));
});

test('no curl on the machine: no files, and a note saying so', async () => {
  const c = await curlEntries('scratch', '/nonexistent/curl');
  assert.deepEqual(c.entries, []);
  assert.equal(c.absent, 'curl is absent from the node image: no /nonexistent/curl on this machine (apt-get install curl)');
});
