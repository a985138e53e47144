// The table `mk proxy rules` prints from a node agent's /rules answer: one row per address a
// Service port is reached at, then one line per healthCheckNodePort served, then warnings for
// listeners that are down; then the node's proxy mode and, in iptables mode, the connections
// each endpoint took (the kernel's counters on the endpoint chains, named as in
// `iptables -t nat -L`), with each endpoint's share of its Service port, and the packets of
// those connections both ways where the agent counts them (its mangle chain MK-ENDPOINT-PACKETS).
import type { CounterRow, RulesSnapshot } from '../agent/proxy/rules.ts';

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('') + '\n';
  return line(head) + rows.map(line).join('');
}

/** The text `mk proxy rules` prints: a kubectl-style table, or a line saying there is nothing. */
export function renderRules(s: RulesSnapshot): string {
  const hcs = s.healthChecks ?? [];
  if (s.rules.length === 0 && hcs.length === 0) return `No Services proxied on node ${s.node}.\n${renderMode(s)}`;
  const head = ['SERVICE', 'TYPE', 'ADDRESS', 'ENDPOINTS', 'AFFINITY', 'POLICY'];
  const rows = s.rules.map((r) => [
    r.portName ? `${r.service}:${r.portName}` : r.service,
    r.kind,
    r.address,
    r.endpoints.length ? r.endpoints.join(',') : '<none>',
    r.affinity,
    r.policy,
  ]);
  let out = rows.length ? table(head, rows) : '';
  const w = Math.max(...rows.map((r) => r[0]!.length), head[0]!.length, ...hcs.map((h) => h.service.length)) + 3;
  for (const h of hcs) out += `${h.service.padEnd(w)}healthCheckNodePort ${h.port} -> ${h.localEndpoints} local endpoints\n`;
  const broken = s.listeners.filter((l) => l.error);
  for (const l of broken) out += `warning: not listening on ${l.address}: ${l.error}\n`;
  for (const h of hcs) if (h.error) out += `warning: not serving the health check of ${h.service} on <nodes>:${h.port}/TCP: ${h.error}\n`;
  return out + renderMode(s);
}

/** The mode line, the kernel's error if writing fails, and the counters (iptables mode). */
function renderMode(s: RulesSnapshot): string {
  if (!s.mode) return '';
  let out = s.mode === 'iptables'
    ? `\nMode: iptables (kube-proxy's rules in the node's nat table; see them with: mk ssh -n ${s.node} -- iptables -t nat -L KUBE-SERVICES -n)\n`
    : `\nMode: userspace${s.modeReason ? ` (iptables cannot be used on this node: ${s.modeReason})` : ''}\n`;
  if (s.kernelError) out += `warning: the kernel rules could not be written: ${s.kernelError}\n`;
  const counters = s.counters ?? [];
  const packets = counters.some((c) => c.packets !== undefined);
  if (counters.length) out += '\n' + table(['SERVICE', 'ENDPOINT', 'CHAIN', 'CONNECTIONS', ...(packets ? ['PACKETS'] : [])], counterRows(counters, packets));
  return out;
}

/** One row per endpoint chain, with its share of the connections of its Service port. */
function counterRows(cs: CounterRow[], packets: boolean): string[][] {
  const total = new Map<string, number>();
  const key = (c: CounterRow) => `${c.service}:${c.portName}`;
  for (const c of cs) total.set(key(c), (total.get(key(c)) ?? 0) + c.connections);
  return cs.map((c) => {
    const t = total.get(key(c))!;
    const row = [c.portName ? `${c.service}:${c.portName}` : c.service, c.endpoint, c.chain, t ? `${c.connections} (${Math.round((100 * c.connections) / t)}%)` : '0'];
    return packets ? [...row, c.packets === undefined ? '<none>' : String(c.packets)] : row;
  });
}
