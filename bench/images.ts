// Images the cluster benches run in pods, made offline from this machine's Debian packages (as
// the node image is): the program, the shared libraries ldd lists for it, a static busybox (sh,
// sleep) and /etc — wrk (the client), nginx (the backend) and haproxy (the peer proxy). A missing
// package is installed with apt-get first, as root. Built once and kept (labelled mk.image=test).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LABELS } from '../src/runtime/labels.ts';
import type { Runtime } from '../src/runtime/types.ts';
import { PATH_ENV, busyboxRoot } from '../src/cluster/image/base.ts';
import { sharedLibraries } from '../src/cluster/image/libs.ts';
import { packTar, type Entry } from '../src/cluster/image/rootfs.ts';

export const BENCH_IMAGES = {
  wrk: 'mk-bench-proxy/wrk:4.1',
  nginx: 'mk-bench-proxy/nginx:1.22',
  haproxy: 'mk-bench-proxy/haproxy:2.6',
} as const;

/** The program `bin` from Debian's `pkg`, installed when missing (as root). */
function need(bin: string, pkg: string): void {
  if (spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0) return;
  console.log(`installing ${pkg} (apt-get)…`);
  const r = spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`bench: ${bin} is missing and "apt-get install -y ${pkg}" failed`);
}

const which = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).stdout.trim();

async function image(rt: Runtime, tag: string, bin: string, cmd: string[]): Promise<void> {
  if (await rt.imageExists(tag)) return;
  const path = which(bin);
  const rootfs: Entry[] = [
    ...(await busyboxRoot()),
    { type: 'hostFile', path, hostPath: path, mode: 0o755 },
    ...(await sharedLibraries(path)).map((l): Entry => ({ type: 'hostFile', path: l, hostPath: l })),
    // getaddrinfo's service and protocol names (wrk resolves `http`)
    ...['/etc/services', '/etc/protocols'].filter(existsSync).map((f): Entry => ({ type: 'hostFile', path: f, hostPath: f })),
  ];
  const df = `FROM scratch\nCOPY rootfs/ /\nENV PATH=${PATH_ENV}\nCMD ${JSON.stringify(cmd)}\n`;
  const context: Entry[] = [{ type: 'file', path: 'Dockerfile', content: df }, ...rootfs.map((e) => ({ ...e, path: `rootfs/${e.path.replace(/^\/+/, '')}` }))];
  await rt.buildImage(packTar(context), tag, { [LABELS.image]: 'test', [LABELS.version]: tag.split(':')[1]! });
}

/** Makes the three images unless the engine has them. */
export async function ensureBenchImages(rt: Runtime): Promise<void> {
  need('wrk', 'wrk');
  need('nginx', 'nginx-light');
  need('haproxy', 'haproxy');
  await image(rt, BENCH_IMAGES.wrk, 'wrk', ['sleep', '3600']);
  await image(rt, BENCH_IMAGES.nginx, 'nginx', ['nginx', '-v']);
  await image(rt, BENCH_IMAGES.haproxy, 'haproxy', ['haproxy', '-v']);
}
