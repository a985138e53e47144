// Label keys mk puts on Docker objects. State about containers, networks and volumes lives in
// these labels (as k3d's `k3d.cluster`); listing is filtering by them. Defined here once: no other
// module spells a key.

export const LABELS = {
  /** profile (cluster) name, on every object mk creates for a cluster */
  cluster: 'mk.cluster',
  /** node role: `control-plane` | `worker` (node containers); `pod` on pod containers */
  role: 'mk.role',
  /** node name: on node containers, and on pod containers the node whose kubelet runs them */
  node: 'mk.node',
  podUid: 'mk.pod-uid',
  podName: 'mk.pod-name',
  podNamespace: 'mk.pod-namespace',
  /** spec.containers[i].name, on a pod's app containers */
  container: 'mk.container',
  /** `true` on a pod's sandbox container (holds the network namespace) */
  sandbox: 'mk.sandbox',
  /** on images mk builds: `node` (the node image) or `test` (images e2e tests use) */
  image: 'mk.image',
  /** on images mk builds: the mk version (node image) or image version (test images) */
  version: 'mk.version',
  /** set by tests on every object they make, so `after` can remove them by label */
  test: 'mk.test',
} as const;

export type LabelKey = (typeof LABELS)[keyof typeof LABELS];

export const ROLES = { controlPlane: 'control-plane', worker: 'worker', pod: 'pod' } as const;
