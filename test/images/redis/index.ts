// The redis image the seed-000 flow runs (pod `mwish-bot`), built locally from Debian's
// redis-server and redis-cli (apt-get install redis-server redis-tools; scripts/ensure-docker.sh
// installs them): FROM scratch, the two binaries with the shared libraries ldd lists, plus the
// static busybox userland (sh, ls, touch, env, …) so `exec -- sh` works. Tagged
// `mk-test/redis:7`, labelled mk.image=test, built once and kept; `force` rebuilds.
//
// redis-server listens on 0.0.0.0:6379 with protected mode off (no password, as the Docker Hub
// image does), so Service traffic and port-forward reach it; nothing is persisted (--save "").

import { access } from 'node:fs/promises';
import { LABELS } from '../../../src/runtime/labels.ts';
import type { Runtime } from '../../../src/runtime/types.ts';
import { PATH_ENV, busyboxRoot } from '../../../src/cluster/image/base.ts';
import { sharedLibraries } from '../../../src/cluster/image/libs.ts';
import { packTar } from '../../../src/cluster/image/rootfs.ts';
import type { Entry } from '../../../src/cluster/image/rootfs.ts';
import { UserError } from '../../../src/lib/errors.ts';

export const REDIS_IMAGE = 'mk-test/redis:7';
export const REDIS_PORT = 6379;

/** Host binaries copied into the image, at the same paths. redis-server is a symlink to
 * redis-check-rdb on Debian; the copy follows it, and redis picks its mode from argv[0]. */
export const REDIS_BINARIES = ['/usr/bin/redis-server', '/usr/bin/redis-cli'] as const;

export const REDIS_CMD = ['redis-server', '--bind', '0.0.0.0', '--port', String(REDIS_PORT), '--protected-mode', 'no', '--save', '', '--appendonly', 'no', '--dir', '/data'];

export function redisDockerfile(): string {
  return [
    'FROM scratch',
    'COPY rootfs/ /',
    `ENV PATH=${PATH_ENV}`,
    'ENV HOME=/root',
    'WORKDIR /data',
    `EXPOSE ${REDIS_PORT}`,
    `CMD ${JSON.stringify(REDIS_CMD)}`,
    '',
  ].join('\n');
}

/** The image's root file system: busybox root + binaries + every library they need, deduplicated. */
export async function redisRootfs(binaries: readonly string[] = REDIS_BINARIES): Promise<Entry[]> {
  const entries: Entry[] = [...(await busyboxRoot()), { type: 'dir', path: '/data' }];
  const libs = new Set<string>();
  for (const bin of binaries) {
    try {
      await access(bin);
    } catch {
      throw new UserError(`${bin} is missing; the redis test image is built from Debian's redis packages`,
        'Install them: apt-get install -y redis-server redis-tools (scripts/ensure-docker.sh does it as root).');
    }
    entries.push({ type: 'hostFile', path: bin, hostPath: bin, mode: 0o755 });
    for (const lib of await sharedLibraries(bin)) libs.add(lib);
  }
  for (const lib of libs) entries.push({ type: 'hostFile', path: lib, hostPath: lib });
  return entries;
}

export async function ensureRedisImage(runtime: Runtime, o: { force?: boolean } = {}): Promise<{ image: string; built: boolean }> {
  if (!o.force && (await runtime.imageExists(REDIS_IMAGE))) return { image: REDIS_IMAGE, built: false };
  const rootfs = await redisRootfs();
  const context: Entry[] = [
    { type: 'file', path: 'Dockerfile', content: redisDockerfile() },
    ...rootfs.map((e) => ({ ...e, path: `rootfs/${e.path.replace(/^\/+/, '')}` })),
  ];
  await runtime.buildImage(packTar(context), REDIS_IMAGE, { [LABELS.image]: 'test', [LABELS.version]: '7' });
  return { image: REDIS_IMAGE, built: true };
}
