// The table `mk proxy rules` prints from a node agent's /rules answer: one row per address a
// Service port is reached at, then one line per healthCheckNodePort served, then warnings for
// listeners that are down.
import type { RulesSnapshot } from '../agent/proxy/rules.ts';

/** The text `mk proxy rules` prints: a kubectl-style table, or a line saying there is nothing. */
export function renderRules(s: RulesSnapshot): string {
  const hcs = s.healthChecks ?? [];
  if (s.rules.length === 0 && hcs.length === 0) return `No Services proxied on node ${s.node}.\n`;
  const head = ['SERVICE', 'TYPE', 'ADDRESS', 'ENDPOINTS', 'AFFINITY', 'POLICY'];
  const rows = s.rules.map((r) => [
    r.portName ? `${r.service}:${r.portName}` : r.service,
    r.kind,
    r.address,
    r.endpoints.length ? r.endpoints.join(',') : '<none>',
    r.affinity,
    r.policy,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('') + '\n';
  let out = rows.length ? line(head) + rows.map(line).join('') : '';
  const w = Math.max(widths[0]!, ...hcs.map((h) => h.service.length)) + 3;
  for (const h of hcs) out += `${h.service.padEnd(w)}healthCheckNodePort ${h.port} -> ${h.localEndpoints} local endpoints\n`;
  const broken = s.listeners.filter((l) => l.error);
  for (const l of broken) out += `warning: not listening on ${l.address}: ${l.error}\n`;
  for (const h of hcs) if (h.error) out += `warning: not serving the health check of ${h.service} on <nodes>:${h.port}/TCP: ${h.error}\n`;
  return out;
}
