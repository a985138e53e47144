// The node's Lease in kube-node-lease, as the kubelet's node lease controller keeps it: named for
// the node, held by it for 40 s, owned by the Node (so it goes with it), its renewTime moved on at
// every heartbeat. `kubectl get leases -n kube-node-lease` lists one per node.
import type { KubeObject } from '../../api/types.ts';
import { R } from '../../api/resources.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../api/status.ts';
import type { KubeletContext } from './context.ts';

export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function leaseObject(node: KubeObject, nowMs: number): KubeObject {
  const name = node.metadata.name!;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: LEASE_NAMESPACE, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! }] },
    spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(nowMs) },
  };
}

/** Creates the node's Lease, or moves its renewTime to now (another writer in between: the next beat does it). */
export async function renewLease(ctx: KubeletContext, node: KubeObject): Promise<void> {
  const want = leaseObject(node, ctx.clock.now());
  let cur: KubeObject;
  try {
    cur = await ctx.client.get(R.leases, LEASE_NAMESPACE, want.metadata.name!);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    try {
      await ctx.client.create(R.leases, LEASE_NAMESPACE, want);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    return;
  }
  const refs = cur.metadata.ownerReferences?.some((o) => o.uid === node.metadata.uid) ? cur.metadata.ownerReferences : want.metadata.ownerReferences;
  try {
    await ctx.client.update(R.leases, LEASE_NAMESPACE, cur.metadata.name!, { ...cur, metadata: { ...cur.metadata, ownerReferences: refs }, spec: { ...cur.spec, ...want.spec } });
  } catch (e) {
    if (!isConflict(e) && !isNotFound(e)) throw e;
  }
}
