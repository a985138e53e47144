// The container runtime: the ONE module in front of the container engine (Docker, through
// dockerode). Cluster lifecycle, the kubelet and tests use only what this index exports; no
// other module imports dockerode. It owns the Docker API mapping (translate.ts), stream framing
// (streams.ts), label keys (labels.ts) and engine errors (errors.ts); it holds no state and makes
// no decisions about clusters or pods.

export type * from './types.ts';
export { dockerRuntime } from './docker.ts';
export { LABELS, ROLES } from './labels.ts';
export type { LabelKey } from './labels.ts';
export { RuntimeError, isConflict, isExecFailed, isNotFound } from './errors.ts';
export type { RuntimeErrorCode } from './errors.ts';
