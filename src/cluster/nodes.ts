// A profile's node containers as Docker reports them, found by label (mk.cluster + mk.role):
// the control plane first, then workers by name.
import { LABELS, ROLES } from '../runtime/labels.ts';
import type { ContainerSummary, Runtime } from '../runtime/types.ts';
import { UserError } from '../lib/errors.ts';

export interface NodeContainer {
  name: string;
  id: string;
  role: 'control-plane' | 'worker';
  running: boolean;
  summary: ContainerSummary;
}

export function sortNodes(cs: ContainerSummary[]): NodeContainer[] {
  const nodes = cs
    .filter((c) => c.labels[LABELS.role] === ROLES.controlPlane || c.labels[LABELS.role] === ROLES.worker)
    .map((c): NodeContainer => ({
      name: c.labels[LABELS.node] ?? c.name,
      id: c.id,
      role: c.labels[LABELS.role] as NodeContainer['role'],
      running: c.state === 'running',
      summary: c,
    }));
  return nodes.sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'control-plane' ? -1 : 1));
}

/** The profile's node containers; a UserError with a hint when no Docker engine answers. */
export async function findNodes(rt: Runtime, profile: string): Promise<NodeContainer[]> {
  await rt.ping();
  return sortNodes(await rt.listContainers({ [LABELS.cluster]: profile }, true));
}

/** `-n NODE` (default: the control plane) among the profile's nodes */
export function pickNode(nodes: NodeContainer[], profile: string, name?: string): NodeContainer {
  if (nodes.length === 0) {
    throw new UserError(`profile "${profile}" not found`, `To start a cluster, run: "mk start -p ${profile}"`, { exitCode: 85 });
  }
  if (!name) return nodes[0]!;
  const n = nodes.find((x) => x.name === name);
  if (!n) throw new UserError(`node ${name} not found in profile "${profile}"`, `Nodes: ${nodes.map((x) => x.name).join(', ')}`);
  return n;
}
