// Where a node writes its pods' volume files, and how the container engine names that place for a
// bind mount: <state dir>/pods/<node> in the node container is, on the engine's host, the same
// folder of the cluster's Docker volume (its data directory, read from the node container's own
// mounts). The volume is shared by every node of the cluster: each keeps to its own folder. An
// agent that is not in a container (tests) writes where the engine can see it directly.
import { join } from 'node:path';
import type { Runtime } from '../runtime/types.ts';
import type { PodsDir } from './kubelet/sa-volume.ts';

export async function podsDirOf(runtime: Runtime, nodeName: string, stateDir: string): Promise<PodsDir> {
  const local = join(stateDir, 'pods', nodeName);
  const self = await runtime.inspectContainer(nodeName).catch(() => undefined);
  const m = self?.mounts?.find((x) => x.target === stateDir);
  return { local, engine: m ? join(m.source, 'pods', nodeName) : local };
}
