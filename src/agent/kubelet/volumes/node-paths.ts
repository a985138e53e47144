// The node's own /data, /mnt, /tmp/hostpath-provisioner and /tmp/hostpath_pv made links into the
// state volume, to the very directories hostPath volumes of this node use (./layout.ts), so what a
// user writes there in `mk ssh` is what a pod's hostPath shows, and it outlives the node container
// (minikube persists the same directories). A path that is already something else (a non-empty
// directory, a file) is left alone and said. Also the storage-provisioner's HostPathStore: its
// directories in the same tree.
import { chmod, lstat, mkdir, readdir, readlink, rm, rmdir, symlink, unlink } from 'node:fs/promises';
import type { HostPathStore } from '../../../controllers/storage/provisioner.ts';
import { dirname } from 'node:path';
import { NODE_LINKED_PATHS, type VolumeLayout } from './layout.ts';

export async function linkNodePaths(layout: VolumeLayout, log: (line: string) => void): Promise<void> {
  for (const p of NODE_LINKED_PATHS) {
    const target = layout.local(layout.hostPath(p));
    await mkdir(target, { recursive: true, mode: 0o755 });
    const st = await lstat(p).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      if ((await readlink(p)) === target) continue;
      await unlink(p);
    } else if (st?.isDirectory()) {
      if ((await readdir(p)).length > 0) { log(`kubelet: ${p} is not empty on this node: hostPath volumes under it are kept in the state volume, apart from it`); continue; }
      await rmdir(p);
    } else if (st) {
      log(`kubelet: ${p} is not a directory on this node: left as it is`);
      continue;
    }
    await mkdir(dirname(p), { recursive: true });
    await symlink(target, p);
  }
}

/** The provisioner's directories (hostPaths under /tmp/hostpath-provisioner) in the state volume. */
export function hostPathStore(layout: VolumeLayout): HostPathStore {
  return {
    async make(path) {
      const dir = layout.local(layout.hostPath(path));
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o777);
    },
    async remove(path) {
      await rm(layout.local(layout.hostPath(path)), { recursive: true, force: true });
    },
  };
}
