// The node's own /data, /mnt, /tmp/hostpath-provisioner and /tmp/hostpath_pv made links into the
// state volume, to the very directories hostPath volumes of this node use (./layout.ts), so what a
// user writes there in `mk ssh` is what a pod's hostPath shows, and it outlives the node container
// (minikube persists the same directories). A path that is already something else (a non-empty
// directory, a file) is left alone and said.
import { lstat, mkdir, readdir, readlink, rmdir, symlink, unlink } from 'node:fs/promises';
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
