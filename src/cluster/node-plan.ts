// Choices for `mk node …` made without Docker: the name, IP and pod CIDR of an added worker
// (the lowest number from 2 that neither the profile file nor Docker holds: a deleted node's
// number, address and pod range come back once everything of it is gone, which keeps the node
// numbers contiguous for `mk start` after a stop), resolving `m02` or `<profile>-m02` to a node name, and minikube's `node list` text.
import { UserError } from '../lib/errors.ts';
import { nodeIndex, nodeName } from './names.ts';

export { nodeIndex };
import type { ProfileNode } from './profile.ts';
import { clusterNet, nodeIP, podCIDR } from './subnet.ts';

export interface NewNode extends ProfileNode {
  /** 1 = control plane; workers from 2 */
  index: number;
}

/** The next worker of a cluster on `subnet`, given every node name in use. */
export function nextWorker(profile: string, subnet: string, taken: string[]): NewNode {
  const used = new Set(taken.map((n) => nodeIndex(profile, n)));
  let index = 2;
  while (used.has(index)) index++;
  const net = clusterNet(subnet);
  if (index > 250) throw new UserError(`cluster ${profile} has no node number left`, `Delete nodes with "mk node delete", or the cluster with "mk delete -p ${profile}".`);
  return { index, name: nodeName(profile, index), ip: nodeIP(net, index), podCIDR: podCIDR(net, index), role: 'worker' };
}

/** `m02`, `M02` or `<profile>-m02` → `<profile>-m02`; the profile's own name stays. */
export function resolveNodeName(profile: string, name: string): string {
  const n = name.trim().toLowerCase();
  return /^m\d{2,}$/.test(n) ? `${profile}-${n}` : n;
}

