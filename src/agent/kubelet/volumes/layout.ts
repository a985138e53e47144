// Where pod volume data lives: in the cluster's state volume (one Docker volume, mounted in every
// node at /var/lib/mk), never on the user's file system. Two views of the same directory: `local`,
// as this agent sees it, where it writes files and checks hostPath types; `engine`, as the
// container engine sees it, which it binds into pod containers (on Docker Desktop the engine runs
// in a VM: the volume's mountpoint is a path in that VM, which only the engine can read).
//
//   nodes/<node>/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>   emptyDir, configMap, secret, …
//   nodes/<node>/hostpath/<path>                                    hostPath <path> on that node
//   storage/hostpath-provisioner/<ns>/<claim>                       the storage-provisioner's volumes,
//                                                                   the same on every node
//
// Paths under /tmp/hostpath-provisioner are the provisioner's (minikube's storage-provisioner
// makes its volumes there): mk keeps them in one place all nodes share, so a claim's data follows
// its pod to any node. The node's own /data, /mnt, /tmp/hostpath-provisioner and /tmp/hostpath_pv
// are links to the same places (minikube persists these), so `mk ssh` sees what pods see there.
import { createHash } from 'node:crypto';
import { join, normalize } from 'node:path';

export interface VolumeRoot {
  /** the state volume as this agent sees it */
  local: string;
  /** the same directory as the container engine sees it */
  engine: string;
}

export const PROVISIONER_DIR = '/tmp/hostpath-provisioner';
/** the provisioner's directory inside the state volume */
export const PROVISIONER_STORE = 'storage/hostpath-provisioner';
/** node paths that are the same in `mk ssh` and in hostPath volumes */
export const NODE_LINKED_PATHS = ['/data', '/mnt', PROVISIONER_DIR, '/tmp/hostpath_pv'];

const PLUGINS: Record<string, string> = {
  emptyDir: 'kubernetes.io~empty-dir', configMap: 'kubernetes.io~configmap', secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api', projected: 'kubernetes.io~projected',
};

/** The state-volume path of hostPath `p` on `node` (relative to the volume). */
export function hostPathInVolume(node: string, p: string): string {
  const clean = normalize(`/${p}`);
  if (clean === PROVISIONER_DIR || clean.startsWith(`${PROVISIONER_DIR}/`)) return join(PROVISIONER_STORE, clean.slice(PROVISIONER_DIR.length));
  return join('nodes', node, 'hostpath', clean);
}

export class VolumeLayout {
  readonly root: VolumeRoot;
  readonly node: string;

  constructor(root: VolumeRoot, node: string) {
    this.root = root;
    this.node = node;
  }

  podDir(uid: string): string {
    return join('nodes', this.node, 'pods', uid);
  }

  /** Where a pod's volume of this type keeps its files, or undefined for types kept elsewhere. */
  volumeDir(uid: string, type: string, name: string): string | undefined {
    const plugin = PLUGINS[type];
    return plugin ? join(this.podDir(uid), 'volumes', plugin, name) : undefined;
  }

  hostPath(p: string): string {
    return hostPathInVolume(this.node, p);
  }

  local(rel: string): string {
    return join(this.root.local, rel);
  }

  engine(rel: string): string {
    return join(this.root.engine, rel);
  }
}

/** The Docker volume standing for one directory of a pod's volumes (unique per pod and path). */
export function handleName(cluster: string, uid: string, rel: string): string {
  const h = createHash('sha256').update(rel).digest('hex').slice(0, 12);
  return `mk-${cluster}-${uid}-${h}`;
}
