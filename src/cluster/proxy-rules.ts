// `mk proxy rules` on the host: asks a node's agent what its proxy serves, through the runtime's
// exec (`wget -qO- http://127.0.0.1:10249/rules` in the node container, so it works wherever
// `mk ssh` does, Docker Desktop included), and parses the answer. `mk dashboard` asks every
// node at once, each second, for the counters in it.
import type { RulesSnapshot } from '../agent/proxy/rules.ts';
import type { Runtime } from '../runtime/types.ts';
import { UserError } from '../lib/errors.ts';
import { execCapture } from './access.ts';
import { findNodes, pickNode, type NodeContainer } from './nodes.ts';

export const RULES_URL = 'http://127.0.0.1:10249/rules';

/** One node's answer, or why there is none. */
export interface NodeRules { node: string; rules?: RulesSnapshot; error?: string }

async function ask(rt: Runtime, n: NodeContainer): Promise<RulesSnapshot> {
  const { stdout, stderr, code } = await execCapture(rt, n.id, ['wget', '-qO-', RULES_URL]);
  if (code !== 0) {
    throw new UserError(`the proxy on node ${n.name} did not answer at ${RULES_URL}: ${stderr.trim() || `wget exited with ${code}`}`,
      `Its agent may still be starting or may have failed; see "docker logs ${n.summary.name}".`);
  }
  try {
    return JSON.parse(stdout) as RulesSnapshot;
  } catch {
    throw new UserError(`the proxy on node ${n.name} answered something that is not JSON: ${stdout.slice(0, 200)}`);
  }
}

export async function fetchRules(rt: Runtime, profile: string, node?: string): Promise<RulesSnapshot> {
  const n = pickNode(await findNodes(rt, profile), profile, node);
  if (!n.running) throw new UserError(`node ${n.name} is not running`, `Start it with "mk start -p ${profile}".`);
  return ask(rt, n);
}

/** Every node's answer at once (one engine listing, one exec per running node). */
export async function fetchEveryNodeRules(rt: Runtime, profile: string): Promise<NodeRules[]> {
  const nodes = await findNodes(rt, profile);
  return Promise.all(nodes.map(async (n): Promise<NodeRules> => {
    if (!n.running) return { node: n.name, error: 'the node is not running' };
    try {
      return { node: n.name, rules: await ask(rt, n) };
    } catch (e) {
      return { node: n.name, error: e instanceof Error ? e.message : String(e) };
    }
  }));
}
