// The redis test image's recipe (no Docker needed): the Dockerfile, and a root file system with
// both binaries, every library ldd names, busybox's sh; a missing binary says what to install.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_BINARIES, redisDockerfile, redisRootfs } from './index.ts';
import { sharedLibraries } from '../../../src/cluster/image/libs.ts';

test('Dockerfile: FROM scratch, PATH, /data, port 6379, redis-server open to the pod network', () => {
  assert.equal(redisDockerfile(), [
    'FROM scratch',
    'COPY rootfs/ /',
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'ENV HOME=/root',
    'WORKDIR /data',
    'EXPOSE 6379',
    'CMD ["redis-server","--bind","0.0.0.0","--port","6379","--protected-mode","no","--save","","--appendonly","no","--dir","/data"]',
    '',
  ].join('\n'));
});

test('rootfs: redis-server, redis-cli, their libraries and the loader, busybox sh, /data', async () => {
  const rootfs = await redisRootfs();
  const paths = new Map(rootfs.map((e) => [e.path, e]));
  for (const bin of REDIS_BINARIES) assert.deepEqual(paths.get(bin), { type: 'hostFile', path: bin, hostPath: bin, mode: 0o755 });
  const libs = [...new Set((await Promise.all(REDIS_BINARIES.map((b) => sharedLibraries(b)))).flat())];
  assert.ok(libs.some((l) => /ld-linux/.test(l)), `the loader is among ${libs.join(' ')}`);
  for (const lib of libs) assert.equal(paths.get(lib)?.type, 'hostFile', `${lib} copied`);
  assert.deepEqual(paths.get('/bin/sh'), { type: 'symlink', path: '/bin/sh', target: 'busybox' });
  assert.equal(paths.get('/data')?.type, 'dir');
  assert.equal(rootfs.filter((e) => e.path === libs[0]).length, 1, 'libraries shared by both binaries are copied once');
});

test('a missing binary is a UserError naming the Debian packages', async () => {
  await assert.rejects(redisRootfs(['/usr/bin/redis-nope']), (e: Error & { hint?: string }) => {
    assert.equal(e.message, '/usr/bin/redis-nope is missing; the redis test image is built from Debian\'s redis packages');
    assert.match(String(e.hint), /apt-get install -y redis-server redis-tools/);
    return true;
  });
});
