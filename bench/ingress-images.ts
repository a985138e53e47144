// The images bench/ingress.ts runs, built locally as the test images are (FROM scratch, a host
// binary with the shared libraries ldd lists, the static busybox userland; no registry):
//  - BENCH_IMAGES.nginx: Debian's nginx; the container writes $NGINX_CONF to /tmp/nginx.conf and
//    runs nginx in the foreground on it (the backend and the reverse proxy are this image);
//  - BENCH_IMAGES.wrk: Debian's wrk (the load generator), idle until exec'd.
// Debian's packages are installed with apt-get when missing. Kept (labelled mk.image=test) once
// built, like the test images; `force` rebuilds. Also the two nginx configurations: the backend
// (hello-app's answer) and the reverse proxy (what ingress-nginx's template sets for a location:
// HTTP/1.1 upstream keep-alive 320, proxy_buffering off, its X-Forwarded-* headers).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LABELS } from '../src/runtime/labels.ts';
import type { Runtime } from '../src/runtime/types.ts';
import { PATH_ENV, busyboxRoot } from '../src/cluster/image/base.ts';
import { sharedLibraries } from '../src/cluster/image/libs.ts';
import { packTar, type Entry } from '../src/cluster/image/rootfs.ts';

export const BENCH_IMAGES = { nginx: 'mk-bench/nginx:1.22', wrk: 'mk-bench/wrk:4.1' } as const;

const NGINX = '/usr/sbin/nginx';
const WRK = '/usr/bin/wrk';

/** apt-get install PKG when BIN is missing (these benches run as root, as the tests do). */
export function need(bin: string, pkg: string): void {
  if (existsSync(bin)) return;
  console.log(`installing ${pkg} (apt-get)…`);
  const r = spawnSync('apt-get', ['install', '-y', pkg], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0 || !existsSync(bin)) throw new Error(`bench/ingress: ${bin} is missing and "apt-get install -y ${pkg}" failed`);
}

async function rootfs(binary: string, extra: Entry[] = []): Promise<Entry[]> {
  const entries: Entry[] = [...(await busyboxRoot()), ...extra, { type: 'hostFile', path: binary, hostPath: binary, mode: 0o755 }];
  for (const lib of await sharedLibraries(binary)) entries.push({ type: 'hostFile', path: lib, hostPath: lib });
  return entries;
}

function context(cmd: string[], files: Entry[]): NodeJS.ReadableStream {
  const df = `FROM scratch\nCOPY rootfs/ /\nENV PATH=${PATH_ENV}\nCMD ${JSON.stringify(cmd)}\n`;
  return packTar([{ type: 'file', path: 'Dockerfile', content: df }, ...files.map((e) => ({ ...e, path: `rootfs/${e.path.replace(/^\/+/, '')}` }))]);
}

export async function ensureBenchImages(rt: Runtime, o: { force?: boolean } = {}): Promise<string[]> {
  need(NGINX, 'nginx');
  need(WRK, 'wrk');
  const built: string[] = [];
  const want = [
    {
      tag: BENCH_IMAGES.nginx,
      cmd: ['sh', '-c', 'printf "%s" "$NGINX_CONF" > /tmp/nginx.conf && exec nginx -e stderr -c /tmp/nginx.conf'],
      files: () => rootfs(NGINX, ['/var/log/nginx', '/var/lib/nginx', '/run', '/etc/nginx'].map((path): Entry => ({ type: 'dir', path }))),
    },
    { tag: BENCH_IMAGES.wrk, cmd: ['sleep', '86400'], files: () => rootfs(WRK) },
  ];
  for (const w of want) {
    if (!o.force && (await rt.imageExists(w.tag))) continue;
    await rt.buildImage(context(w.cmd, await w.files()), w.tag, { [LABELS.image]: 'test', [LABELS.version]: w.tag.split(':')[1]! });
    built.push(w.tag);
  }
  return built;
}

const COMMON = (pid: string, dir: string) => [
  'daemon off;',
  'error_log stderr warn;',
  `pid ${dir}/${pid}.pid;`,
  'events { worker_connections 4096; }',
];
const TEMP = (d: string) => `client_body_temp_path ${d}/b; proxy_temp_path ${d}/p; fastcgi_temp_path ${d}/f; uwsgi_temp_path ${d}/u; scgi_temp_path ${d}/s;`;

/** The backend: hello-app's answer (`Hello, world!`, version, hostname) from nginx itself, 1 worker, on `listen` (`8080`, `127.0.0.11:18080`). */
export function backendConf(listen: number | string, dir = '/tmp'): string {
  return [
    'worker_processes 1;',
    ...COMMON('backend', dir),
    'http {',
    `  access_log off; keepalive_requests 100000; ${TEMP(dir)}`,
    `  server { listen ${listen}; location / { default_type text/plain; return 200 "Hello, world!\\nVersion: 1.0.0\\nHostname: $hostname\\n"; } }`,
    '}',
    '',
  ].join('\n');
}

/**
 * The reverse proxy, as ingress-nginx configures nginx for one Ingress host: straight to the
 * endpoints (round-robin), HTTP/1.1 keep-alive upstream (320 idle, 10,000 requests each),
 * keep-alive to clients (1,000 requests each), proxy_buffering off, and the headers it sets.
 */
export function proxyConf(o: { listen: number | string; host: string; endpoints: string[]; workers: number | 'auto'; dir?: string }): string {
  const dir = o.dir ?? '/tmp';
  return [
    `worker_processes ${o.workers};`,
    ...COMMON('proxy', dir),
    'http {',
    `  access_log off; keepalive_requests 1000; keepalive_timeout 75s; ${TEMP(dir)}`,
    `  upstream backend { ${o.endpoints.map((e) => `server ${e};`).join(' ')} keepalive 320; keepalive_requests 10000; keepalive_timeout 60s; }`,
    `  server { listen ${o.listen}; server_name ${o.host};`,
    '    location / {',
    '      proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off;',
    '      proxy_set_header Host $host; proxy_set_header X-Request-ID $request_id; proxy_set_header X-Real-IP $remote_addr;',
    '      proxy_set_header X-Forwarded-For $remote_addr; proxy_set_header X-Forwarded-Host $host; proxy_set_header X-Forwarded-Port $server_port;',
    '      proxy_set_header X-Forwarded-Proto $scheme; proxy_set_header X-Forwarded-Scheme $scheme; proxy_set_header X-Scheme $scheme;',
    '      proxy_pass http://backend;',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}
