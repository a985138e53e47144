// Images the e2e tests run, built locally from files (no registry): FROM scratch with a static
// busybox userland.
//  - TEST_IMAGES.busybox: sh, nc, wget, nslookup, httpd, sleep, … (CMD sh), ~2 MB
//  - TEST_IMAGES.echo: an HTTP server on :8080 (busybox nc -ll -e echo/handler.sh) answering like
//    hello-app: "Hello, world!\nVersion: 1.0.0\nHostname: <hostname>\n" (VERSION env overrides)
// Built once and kept (labelled mk.image=test) so every suite can use them; `force` rebuilds.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LABELS } from '../../src/runtime/labels.ts';
import type { Runtime } from '../../src/runtime/types.ts';
import { PATH_ENV, busyboxRoot } from '../../src/cluster/image/base.ts';
import { packTar } from '../../src/cluster/image/rootfs.ts';
import type { Entry } from '../../src/cluster/image/rootfs.ts';

export const TEST_IMAGES = {
  busybox: 'mk-test/busybox:1.35',
  echo: 'mk-test/echo:1.0',
} as const;

export const ECHO_PORT = 8080;

const here = dirname(fileURLToPath(import.meta.url));

function dockerfile(cmd: string[], extra = ''): string {
  return `FROM scratch\nCOPY rootfs/ /\nENV PATH=${PATH_ENV}\n${extra}CMD ${JSON.stringify(cmd)}\n`;
}

function context(df: string, rootfs: Entry[]): Entry[] {
  return [
    { type: 'file', path: 'Dockerfile', content: df },
    ...rootfs.map((e) => ({ ...e, path: `rootfs/${e.path.replace(/^\/+/, '')}` })),
  ];
}

export interface TestImagesResult { busybox: string; echo: string; built: string[] }

export async function ensureTestImages(runtime: Runtime, o: { force?: boolean } = {}): Promise<TestImagesResult> {
  const built: string[] = [];
  const root = await busyboxRoot();
  const want: Array<{ tag: string; df: string; rootfs: Entry[] }> = [
    { tag: TEST_IMAGES.busybox, df: dockerfile(['sh']), rootfs: root },
    {
      tag: TEST_IMAGES.echo,
      df: dockerfile(['nc', '-ll', '-p', String(ECHO_PORT), '-e', '/bin/handler'], `EXPOSE ${ECHO_PORT}\n`),
      rootfs: [...root, { type: 'file', path: '/bin/handler', mode: 0o755, content: await readFile(join(here, 'echo', 'handler.sh')) }],
    },
  ];
  for (const w of want) {
    if (!o.force && (await runtime.imageExists(w.tag))) continue;
    await runtime.buildImage(packTar(context(w.df, w.rootfs)), w.tag, { [LABELS.image]: 'test', [LABELS.version]: w.tag.split(':')[1]! });
    built.push(w.tag);
  }
  return { busybox: TEST_IMAGES.busybox, echo: TEST_IMAGES.echo, built };
}
