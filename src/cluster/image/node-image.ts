// The node image `mk-node:<version>-<revision>`: what every node container runs (the mk agent).
// Built once per mk version and image revision, offline. Two ways, both from templates/node/:
//  - a Node.js base image (node:24-slim, node:24) already in the local engine: Dockerfile + a
//    static busybox for ip/wget/nslookup/nc, and curl (./curl.ts);
//  - otherwise (always on machines without a registry): Dockerfile.scratch, FROM scratch with the
//    running Node.js binary, the libraries ldd lists for it, busybox, curl and a few /etc files.
// Both carry the machine's iptables and conntrack (netfilter.ts) for the proxy's kernel mode; an
// image whose `mk.contents` label says otherwise is made again.
// mk's own sources are NOT in the image: `mk start` bind-mounts the installed package (package
// root, with node_modules) read-only at MK_DIR_IN_NODE, so the image depends only on Node.js
// and busybox and a rebuilt mk runs without rebuilding the image. Consequence: the Docker
// engine must see the host's files (true for a local engine and for Docker Desktop's shared
// home), and the host's node binary must be a Linux one of the engine's architecture.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../lib/errors.ts';
import { LABELS } from '../../runtime/labels.ts';
import type { Runtime } from '../../runtime/types.ts';
import { DEFAULT_BUSYBOX, busyboxApplets, busyboxEntries, busyboxRoot } from './base.ts';
import { curlEntries } from './curl.ts';
import { sharedLibraries } from './libs.ts';
import { CONTENTS_LABEL, contentsLabel, findNetfilterTools, netfilterEntries } from './netfilter.ts';
import { packTar } from './rootfs.ts';
import type { Entry } from './rootfs.ts';

export const NODE_IMAGE_REPO = 'mk-node';
/** where `mk start` mounts mk's package inside a node container */
export const MK_DIR_IN_NODE = '/opt/mk';
/** where the node's state volume is mounted */
export const STATE_DIR_IN_NODE = '/var/lib/mk';
/** Node.js base images used when present locally (never pulled) */
export const NODE_BASES = ['node:24-slim', 'node:24', 'node:24-bookworm-slim'];
/** tools a slim Debian base lacks, linked to busybox */
const BASE_EXTRA_APPLETS = ['ip', 'wget', 'nslookup', 'nc', 'ping', 'ps'];

/** the mk package root (holds package.json, src/, templates/, node_modules/) */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** bumped when what the image holds changes (r2: curl), so an engine holding an older image of
 * the same mk version builds this one, and nodes on the older one are rolled at their next start */
export const NODE_IMAGE_REVISION = 'r2';

export const nodeImageTag = (version: string) => `${NODE_IMAGE_REPO}:${version}-${NODE_IMAGE_REVISION}`;

export interface NodeImageOptions {
  version: string;
  /** rebuild even when the tag exists */
  force?: boolean;
  /** the Node.js binary to put in a scratch image; default: the running one */
  nodeBinary?: string;
  busybox?: string;
  /** skip looking for a local Node.js base image */
  scratchOnly?: boolean;
  /** extra image labels (tests mark their images) */
  labels?: Record<string, string>;
}

export interface NodeImageResult {
  tag: string;
  built: boolean;
  base: string;
  seconds: number;
  /** what the image lacks and why (curl absent on this machine) */
  notes?: string[];
}

export async function ensureNodeImage(runtime: Runtime, o: NodeImageOptions): Promise<NodeImageResult> {
  const started = performance.now();
  const tag = nodeImageTag(o.version);
  const seconds = () => Math.round((performance.now() - started) / 10) / 100;
  const tools = await findNetfilterTools();
  const contents = contentsLabel(tools);
  if (!o.force && (await imageCarries(runtime, tag, contents))) return { tag, built: false, base: 'existing', seconds: seconds() };

  const labels = { [LABELS.image]: 'node', [LABELS.version]: o.version, [CONTENTS_LABEL]: contents, ...o.labels };
  const busybox = o.busybox ?? DEFAULT_BUSYBOX;
  let base: string | undefined;
  if (!o.scratchOnly) {
    for (const b of NODE_BASES) if (await runtime.imageExists(b)) { base = b; break; }
  }
  if (base) {
    const applets = (await busyboxApplets(busybox)).filter((a) => BASE_EXTRA_APPLETS.includes(a));
    const dockerfile = (await readTemplate('Dockerfile')).replaceAll('{{BASE}}', base);
    const curl = await curlEntries('base');
    const rootfs = [
      ...busyboxEntries(busybox, applets).map((e) => ({ ...e, path: e.path.replace(/^\/bin\//, '/usr/local/bin/') })),
      ...curl.entries,
      ...(await netfilterEntries(tools, { glibc: false })),
    ];
    await runtime.buildImage(packTar(context(dockerfile, rootfs)), tag, labels);
    return { tag, built: true, base, seconds: seconds(), ...(curl.absent ? { notes: [curl.absent] } : {}) };
  }
  const curl = await curlEntries('scratch');
  const rootfs = [...await scratchRootfs(o.nodeBinary ?? runningNode(), busybox), ...curl.entries, ...(await netfilterEntries(tools, { glibc: true }))];
  await runtime.buildImage(packTar(context(await readTemplate('Dockerfile.scratch'), rootfs)), tag, labels);
  return { tag, built: true, base: 'scratch', seconds: seconds(), ...(curl.absent ? { notes: [curl.absent] } : {}) };
}

/** Whether the engine has `tag` with the given `mk.contents` label (an older image lacks it). */
export async function imageCarries(runtime: Runtime, tag: string, contents: string): Promise<boolean> {
  if (!(await runtime.imageExists(tag))) return false;
  const found = (await runtime.listImages({ [LABELS.image]: 'node' })).find((i) => i.tags.includes(tag));
  return found?.labels[CONTENTS_LABEL] === contents;
}

/** The running Node.js, when it can run mk's TypeScript (type stripping: Node ≥ 22.18). */
function runningNode(): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 18)) {
    throw new UserError(`mk runs on Node.js ${process.versions.node}, which cannot run mk's TypeScript inside a node container`,
      'Run mk with Node.js 24 (npm exec / npx run the one in node_modules).');
  }
  if (process.platform !== 'linux') {
    throw new UserError(`the running Node.js is a ${process.platform} binary; a node image without a base needs a Linux one`,
      `Load a Node.js 24 image into your engine (e.g. docker load -i node-24-slim.tar) so mk can build on ${NODE_BASES[0]}.`);
  }
  return process.execPath;
}

export async function scratchRootfs(nodeBinary: string, busybox: string): Promise<Entry[]> {
  const libs = await sharedLibraries(nodeBinary);
  return [
    { type: 'hostFile', path: '/usr/local/bin/node', hostPath: nodeBinary, mode: 0o755 },
    ...libs.map((l): Entry => ({ type: 'hostFile', path: l, hostPath: l })),
    ...(await busyboxRoot(busybox)),
    { type: 'dir', path: MK_DIR_IN_NODE },
    { type: 'dir', path: STATE_DIR_IN_NODE },
  ];
}

function context(dockerfile: string, rootfs: Entry[]): Entry[] {
  return [
    { type: 'file', path: 'Dockerfile', content: dockerfile },
    { type: 'dir', path: 'rootfs' },
    ...rootfs.map((e) => ({ ...e, path: `rootfs/${e.path.replace(/^\/+/, '')}` })),
  ];
}

async function readTemplate(name: string): Promise<string> {
  return readFile(join(PACKAGE_ROOT, 'templates', 'node', name), 'utf8');
}
