// What a node's proxy serves, as data (the agent's /rules answer) and as the table `mk proxy
// rules` prints: one row per address a Service port is reached at (ClusterIP, external and
// LoadBalancer IPs, the nodePort on every node address) with the endpoints this node uses for
// it, the session affinity and the traffic policy that applies there; then one line per
// healthCheckNodePort served (`healthCheckNodePort 31234 -> 1 local endpoints`).
import type { Picker } from './picker.ts';
import type { ProxyEntry, ProxyTable } from './table.ts';

export interface RuleRow {
  service: string;
  portName: string;
  type: string;
  /** `10.96.0.1:443/TCP`, or `<nodes>:30123/TCP` for a nodePort */
  address: string;
  kind: 'ClusterIP' | 'ExternalIP' | 'NodePort';
  /** the endpoints this node sends the traffic to */
  endpoints: string[];
  affinity: string;
  policy: 'Cluster' | 'Local';
}

export interface RulesSnapshot {
  node: string;
  services: number;
  rules: RuleRow[];
  listeners: Array<{ address: string; error?: string }>;
  connections: { active: number; accepted: number; rejected: number };
  /** healthCheckNodePorts served (absent from agents older than health checks) */
  healthChecks?: HealthCheckRow[];
}

export interface HealthCheckRow {
  /** `namespace/name` */
  service: string;
  port: number;
  /** ready endpoints of the Service on this node: 200 when above 0, else 503 */
  localEndpoints: number;
  /** set while the port is not listening */
  error?: string;
}

export function rowsFor(e: ProxyEntry, picker: Picker): RuleRow[] {
  const affinity = e.sessionAffinity === 'ClientIP' ? `ClientIP/${e.affinityTimeoutSeconds}s` : 'None';
  const base = { service: e.service, portName: e.portName, type: e.type, affinity };
  const eps = (external: boolean) => picker.usable({ entry: e, external }).map((b) => `${b.ip}:${b.port}`);
  const rows: RuleRow[] = [];
  if (e.clusterIP) rows.push({ ...base, kind: 'ClusterIP', address: `${e.clusterIP}:${e.port}/${e.protocol}`, endpoints: eps(false), policy: e.internalTrafficPolicy });
  for (const ip of e.externalIPs) rows.push({ ...base, kind: 'ExternalIP', address: `${ip}:${e.port}/${e.protocol}`, endpoints: eps(true), policy: e.externalTrafficPolicy });
  if (e.nodePort) rows.push({ ...base, kind: 'NodePort', address: `<nodes>:${e.nodePort}/${e.protocol}`, endpoints: eps(true), policy: e.externalTrafficPolicy });
  return rows;
}

export function rulesOf(table: ProxyTable, picker: Picker): RuleRow[] {
  return table.list().flatMap((e) => rowsFor(e, picker));
}

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
