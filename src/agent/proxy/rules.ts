// What a node's proxy serves, as data (the agent's /rules answer, which `mk proxy rules` prints
// through src/cli/proxy-rules.ts): one row per address a Service port is reached at (ClusterIP, external and
// LoadBalancer IPs, the nodePort on every node address) with the endpoints this node uses for
// it, the session affinity and the traffic policy that applies there; then one line per
// healthCheckNodePort served (`healthCheckNodePort 31234 -> 1 local endpoints`); the mode (iptables
// or userspace, and why not iptables when it was asked for) and, in iptables mode, the connections
// each endpoint chain took (the DNAT rules' counters) and their packets.
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
  /** iptables or userspace (absent from agents older than the kernel mode: userspace) */
  mode?: 'iptables' | 'userspace';
  /** why iptables mode was asked for and not used */
  modeReason?: string;
  /** in iptables mode: connections per endpoint chain, from the kernel's rule counters */
  counters?: CounterRow[];
  /** in iptables mode, while writing rules fails: the error (the agent serves what has no rule) */
  kernelError?: string;
}

export interface CounterRow {
  /** `namespace/name` */
  service: string;
  portName: string;
  /** `ip:port` */
  endpoint: string;
  /** the KUBE-SEP-… chain */
  chain: string;
  /** new connections (and UDP flows) NATed to the endpoint since its chain was written */
  connections: number;
  /** packets, both ways, of the connections NATed to the endpoint's ip:port on this node (mk's
   * mangle chain MK-ENDPOINT-PACKETS, shared by Services sending to the same ip:port; absent from
   * agents that do not count them) */
  packets?: number;
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
