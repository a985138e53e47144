// hostPath `type` checks with the kubelet's messages (pkg/volume/hostpath checkType):
// DirectoryOrCreate and FileOrCreate make what is missing (0755 directory, 0644 empty file),
// the others only look; "" checks nothing (a missing path becomes a directory, as the container
// runtime makes it). `local` is the path as this agent sees it; `shown` the path the pod asked
// for, which the messages name.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MountError } from './projection.ts';

export type HostPathType = '' | 'DirectoryOrCreate' | 'Directory' | 'FileOrCreate' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice';

/** What is at the path once the check passed: a directory or something else (file, socket, device). */
export type HostPathKind = 'directory' | 'file';

export async function checkHostPath(local: string, shown: string, type: string | undefined): Promise<HostPathKind> {
  const st = await stat(local).catch(() => undefined);
  const t = (type ?? '') as HostPathType;
  const fail = (what: string): never => { throw new MountError(`hostPath type check failed: ${shown} is not ${what}`); };
  switch (t) {
    case '':
      if (!st) { await mkdir(local, { recursive: true, mode: 0o755 }); return 'directory'; }
      return st.isDirectory() ? 'directory' : 'file';
    case 'DirectoryOrCreate':
      if (!st) { await mkdir(local, { recursive: true, mode: 0o755 }); return 'directory'; }
      if (!st.isDirectory()) fail('a directory');
      return 'directory';
    case 'Directory':
      if (!st?.isDirectory()) fail('a directory');
      return 'directory';
    case 'FileOrCreate':
      if (!st) {
        await mkdir(dirname(local), { recursive: true, mode: 0o755 });
        await writeFile(local, '', { mode: 0o644, flag: 'a' });
        return 'file';
      }
      if (st.isDirectory()) fail('a file');
      return 'file';
    case 'File':
      if (!st || st.isDirectory()) fail('a file');
      return 'file';
    case 'Socket':
      if (!st?.isSocket()) fail('a socket file');
      return 'file';
    case 'CharDevice':
      if (!st?.isCharacterDevice()) fail('a character device');
      return 'file';
    case 'BlockDevice':
      if (!st?.isBlockDevice()) fail('a block device');
      return 'file';
    default:
      throw new MountError(`${String(t)} is an invalid volume type`);
  }
}
