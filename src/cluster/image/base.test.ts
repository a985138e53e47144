// The busybox userland for FROM-scratch images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../lib/errors.ts';
import { busyboxApplets, busyboxEntries, parseApplets } from './base.ts';

test('parseApplets keeps applet names, drops busybox itself and blanks', () => {
  assert.deepEqual(parseApplets('[\n[[\nash\nbusybox\n\nip\nnslookup\n'), ['[', '[[', 'ash', 'ip', 'nslookup']);
});

test('busyboxEntries: the binary, then one symlink per applet', () => {
  assert.deepEqual(busyboxEntries('/host/busybox', ['sh', 'ip']), [
    { type: 'hostFile', path: '/bin/busybox', hostPath: '/host/busybox', mode: 0o755 },
    { type: 'symlink', path: '/bin/sh', target: 'busybox' },
    { type: 'symlink', path: '/bin/ip', target: 'busybox' },
  ]);
});

test('busyboxApplets of the host busybox has what pods and nodes use', async () => {
  const applets = await busyboxApplets();
  for (const a of ['sh', 'ip', 'wget', 'nslookup', 'nc', 'cat', 'ls', 'sleep', 'httpd', 'hostname']) assert.ok(applets.includes(a), a);
});

test('busyboxApplets says what to install when busybox is missing', async () => {
  await assert.rejects(busyboxApplets('/nonexistent/busybox'), (e: unknown) => e instanceof UserError && /no static busybox at \/nonexistent\/busybox/.test(e.message) && /busybox-static/.test(e.hint ?? ''));
});
