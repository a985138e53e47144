// The node image of the mk executable: `mk-node:<version>-<build>`, FROM scratch with the
// executable itself at /usr/local/bin/mk, the shared libraries ldd lists for it, the static
// busybox embedded in it (a link per applet), curl with its libraries (./curl.ts), the machine's
// iptables and conntrack (netfilter.ts), a few /etc files and the state directory. The
// agent runs in it as `mk agent …`: one file, one version, nothing bind-mounted from the host's
// file system but the Docker socket. The build id in the tag changes with every different
// executable, so an upgraded mk never runs an older image of the same version number.

import { LABELS } from '../../runtime/labels.ts';
import type { Runtime } from '../../runtime/types.ts';
import { UserError } from '../../lib/errors.ts';
import { ASSETS, readAsset, type RunningExecutable } from '../../lib/executable.ts';
import { etcEntries } from './base.ts';
import { curlEntries } from './curl.ts';
import { sharedLibraries } from './libs.ts';
import { NODE_IMAGE_REPO, STATE_DIR_IN_NODE, imageCarries, type NodeImageResult } from './node-image.ts';
import { CONTENTS_LABEL, contentsLabel, findNetfilterTools, netfilterEntries } from './netfilter.ts';
import { packTar, type Entry } from './rootfs.ts';

/** where the executable lives inside a node container */
export const MK_IN_NODE = '/usr/local/bin/mk';

export type ImageExecutable = Pick<RunningExecutable, 'path' | 'version' | 'build' | 'applets'>;

export const binaryImageTag = (exe: Pick<RunningExecutable, 'version' | 'build'>) => `${NODE_IMAGE_REPO}:${exe.version}-${exe.build}`;

export interface BinaryImageOptions {
  exe: ImageExecutable;
  /** the static busybox's bytes (default: the one embedded in the executable) */
  busybox?: Buffer;
  /** rebuild even when the tag exists */
  force?: boolean;
  /** extra image labels (tests mark their images) */
  labels?: Record<string, string>;
}

export async function ensureBinaryImage(runtime: Runtime, o: BinaryImageOptions): Promise<NodeImageResult> {
  const started = performance.now();
  const tag = binaryImageTag(o.exe);
  const seconds = () => Math.round((performance.now() - started) / 10) / 100;
  const tools = await findNetfilterTools();
  const contents = contentsLabel(tools);
  if (!o.force && (await imageCarries(runtime, tag, contents))) return { tag, built: false, base: 'existing', seconds: seconds() };
  if (process.platform !== 'linux') {
    throw new UserError(`this mk executable is a ${process.platform} one: its node image needs a Linux mk executable of the engine's architecture`,
      'Run mk from its sources on this machine (npm install -g), whose nodes run Node.js on the mounted package.');
  }
  const labels = { [LABELS.image]: 'node', [LABELS.version]: `${o.exe.version}-${o.exe.build}`, [CONTENTS_LABEL]: contents, ...o.labels };
  const curl = await curlEntries('scratch');
  const rootfs = [...await binaryRootfs(o.exe, o.busybox ?? readAsset(ASSETS.busybox)), ...curl.entries, ...(await netfilterEntries(tools, { glibc: true }))];
  const context: Entry[] = [
    { type: 'file', path: 'Dockerfile', content: readAsset('templates/node/Dockerfile.binary') },
    { type: 'dir', path: 'rootfs' },
    ...rootfs.map((e) => ({ ...e, path: `rootfs/${e.path.replace(/^\/+/, '')}` })),
  ];
  await runtime.buildImage(packTar(context), tag, labels);
  return { tag, built: true, base: 'executable', seconds: seconds(), ...(curl.absent ? { notes: [curl.absent] } : {}) };
}

/** The image's files: the executable, its libraries at the paths the loader looks for them,
 * busybox with a link per applet, /etc and the state directory. */
export async function binaryRootfs(exe: ImageExecutable, busybox: Buffer): Promise<Entry[]> {
  const libs = await sharedLibraries(exe.path);
  return [
    { type: 'hostFile', path: MK_IN_NODE, hostPath: exe.path, mode: 0o755 },
    ...libs.map((l): Entry => ({ type: 'hostFile', path: l, hostPath: l })),
    ...etcEntries(),
    { type: 'file', path: '/bin/busybox', content: busybox, mode: 0o755 },
    ...exe.applets.map((a): Entry => ({ type: 'symlink', path: `/bin/${a}`, target: 'busybox' })),
    { type: 'dir', path: STATE_DIR_IN_NODE },
  ];
}
