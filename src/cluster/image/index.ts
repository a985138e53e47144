// Images mk builds itself, offline: the node image (node-image.ts) and the pieces to assemble
// FROM-scratch images (rootfs.ts tar contexts, base.ts busybox userland, libs.ts ldd). Talks to
// the engine only through the runtime (src/agent/runtime); never pulls.

export { MK_DIR_IN_NODE, NODE_BASES, NODE_IMAGE_REPO, PACKAGE_ROOT, STATE_DIR_IN_NODE, ensureNodeImage, nodeImageTag, scratchRootfs } from './node-image.ts';
export type { NodeImageOptions, NodeImageResult } from './node-image.ts';
export { PATH_ENV, busyboxApplets, busyboxEntries, busyboxRoot, etcEntries } from './base.ts';
export { packTar, withParents } from './rootfs.ts';
export type { Entry } from './rootfs.ts';
export { parseLdd, sharedLibraries } from './libs.ts';
