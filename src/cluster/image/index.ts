// Images mk builds itself, offline: the node image — of the sources (node-image.ts) or of the
// mk executable (binary-image.ts), launch.ts says which and how a node starts its agent — and
// the pieces to assemble FROM-scratch images (rootfs.ts tar contexts, base.ts busybox userland,
// libs.ts ldd). Talks to the engine only through the runtime (src/runtime); never pulls.

export { MK_DIR_IN_NODE, NODE_BASES, NODE_IMAGE_REPO, PACKAGE_ROOT, STATE_DIR_IN_NODE, ensureNodeImage, nodeImageTag, scratchRootfs } from './node-image.ts';
export type { NodeImageOptions, NodeImageResult } from './node-image.ts';
export { MK_IN_NODE, binaryImageTag, ensureBinaryImage } from './binary-image.ts';
export type { BinaryImageOptions, ImageExecutable } from './binary-image.ts';
export { agentCommand, agentMounts, ensureNodeImageOf, nodeImageOf } from './launch.ts';
export type { LaunchOptions } from './launch.ts';
export { PATH_ENV, busyboxApplets, busyboxEntries, busyboxRoot, etcEntries } from './base.ts';
export { packTar, withParents } from './rootfs.ts';
export type { Entry } from './rootfs.ts';
export { parseLdd, sharedLibraries } from './libs.ts';
