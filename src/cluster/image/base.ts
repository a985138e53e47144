// The smallest Linux userland mk puts into FROM-scratch images: a static busybox with a symlink
// per applet (sh, ip, wget, nslookup, nc, cat, ls, sleep, …), the /etc files programs expect
// (passwd, group, nsswitch.conf) and a world-writable /tmp. Shared by the node image and the
// test images.

import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { UserError } from '../../lib/errors.ts';
import type { Entry } from './rootfs.ts';

export const DEFAULT_BUSYBOX = '/bin/busybox';

export const PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Applet names from `busybox --list`, one per line. `busybox` itself is not an applet link. */
export function parseApplets(list: string): string[] {
  return list.split('\n').map((s) => s.trim()).filter((s) => /^[A-Za-z0-9_.\[\]-]+$/.test(s) && s !== 'busybox');
}

export async function busyboxApplets(busybox = DEFAULT_BUSYBOX): Promise<string[]> {
  try {
    await access(busybox);
  } catch {
    throw new UserError(`no static busybox at ${busybox}; mk assembles its images with it`,
      'Install it: sudo apt-get install busybox-static (or run scripts/ensure-docker.sh).');
  }
  const { stdout } = await promisify(execFile)(busybox, ['--list']);
  const applets = parseApplets(stdout);
  for (const need of ['sh', 'ip', 'wget', 'nslookup', 'nc']) {
    if (!applets.includes(need)) throw new UserError(`${busybox} has no "${need}" applet`, 'Use Debian\'s busybox-static, which has them all.');
  }
  return applets;
}

/** /bin/busybox plus /bin/<applet> -> busybox for every applet */
export function busyboxEntries(hostBusybox: string, applets: string[]): Entry[] {
  return [
    { type: 'hostFile', path: '/bin/busybox', hostPath: hostBusybox, mode: 0o755 },
    ...applets.map((a): Entry => ({ type: 'symlink', path: `/bin/${a}`, target: 'busybox' })),
  ];
}

export function etcEntries(): Entry[] {
  return [
    { type: 'file', path: '/etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' },
    { type: 'file', path: '/etc/group', content: 'root:x:0:\nnogroup:x:65534:\n' },
    { type: 'file', path: '/etc/nsswitch.conf', content: 'passwd: files\ngroup: files\nhosts: files dns\n' },
    { type: 'dir', path: '/root', mode: 0o700 },
    { type: 'dir', path: '/tmp', mode: 0o1777 },
    { type: 'dir', path: '/var/tmp', mode: 0o1777 },
    { type: 'dir', path: '/usr/bin' },
    { type: 'dir', path: '/usr/sbin' },
    { type: 'dir', path: '/sbin' },
  ];
}

/** busybox + /etc + /tmp: a root file system that runs shell scripts */
export async function busyboxRoot(busybox = DEFAULT_BUSYBOX): Promise<Entry[]> {
  return [...etcEntries(), ...busyboxEntries(busybox, await busyboxApplets(busybox))];
}
