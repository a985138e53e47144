// Packets per endpoint (`mk proxy rules`, `mk dashboard`). The nat table sees only the first
// packet of a connection, so mk keeps a chain of its own in the mangle table, MK-ENDPOINT-PACKETS,
// jumped to from POSTROUTING and INPUT, with one counting rule (no target) per endpoint
// `ip:port/protocol`: it matches the packets, either way, of every connection the kernel DNATed
// to that endpoint (conntrack's reply source is the endpoint). Forwarded packets pass
// POSTROUTING once, and so do a node's own outgoing ones; replies to the node's own processes
// pass INPUT: each packet is counted once, on the node that NATed its connection. Services that
// send to the same ip:port share its rule. kube-proxy has no such chain: it is written apart from
// kube-proxy's tables, by adding and deleting single rules (never by rewriting the chain), so
// the counts of endpoints that stay are kept across changes.

export const PACKETS_CHAIN = 'MK-ENDPOINT-PACKETS';
const HOOKS = ['POSTROUTING', 'INPUT'] as const;

/** `10.244.1.2:8080/tcp`: the rule's comment, and the key of its count. */
export const packetKey = (endpoint: string, protocol: string) => `${endpoint}/${protocol.toLowerCase()}`;

/** The counting rule's arguments (after `-A CHAIN`), as iptables-save prints them back (but for the
 * quotes it puts around the comment). */
export function packetRule(key: string): string {
  const m = /^(.*):(\d+)\/(tcp|udp)$/.exec(key);
  if (!m) throw new Error(`packets: not an endpoint key: ${key}`);
  return `-p ${m[3]} -m conntrack --ctstate DNAT --ctreplsrc ${m[1]} --ctreplsrcport ${m[2]} -m comment --comment ${key}`;
}

/** What `iptables-save -t mangle` says of ours: the chain, its jumps, and each rule's packets. */
export interface PacketsState {
  chain: boolean;
  jumps: Set<string>;
  /** endpoint key → packets */
  rules: Map<string, number>;
}

export function parsePackets(saved: string): PacketsState {
  const s: PacketsState = { chain: false, jumps: new Set(), rules: new Map() };
  for (const line of saved.split('\n')) {
    if (line.startsWith(`:${PACKETS_CHAIN} `)) s.chain = true;
    const jump = new RegExp(`^(?:\\[\\d+:\\d+\\] )?-A (\\S+) -j ${PACKETS_CHAIN}$`).exec(line);
    if (jump) s.jumps.add(jump[1]!);
    // iptables-save quotes the comment ("10.244.1.2:8080/tcp")
    const rule = new RegExp(`^(?:\\[(\\d+):\\d+\\] )?-A ${PACKETS_CHAIN} .*--comment "?([^"\\s]+)"?$`).exec(line);
    if (rule) s.rules.set(rule[2]!, (s.rules.get(rule[2]!) ?? 0) + Number(rule[1] ?? 0));
  }
  return s;
}

/** The iptables-restore --noflush input that makes the chain count exactly `want` (the chain and
 * its jumps made when missing); empty when nothing changes. */
export function packetsRestore(have: PacketsState, want: Set<string>): string {
  const lines: string[] = [];
  if (!have.chain) lines.push(`:${PACKETS_CHAIN} - [0:0]`);
  for (const hook of HOOKS) if (!have.jumps.has(hook)) lines.push(`-A ${hook} -j ${PACKETS_CHAIN}`);
  for (const key of [...have.rules.keys()].sort()) if (!want.has(key)) lines.push(`-D ${PACKETS_CHAIN} ${packetRule(key)}`);
  for (const key of [...want].sort()) if (!have.rules.has(key)) lines.push(`-A ${PACKETS_CHAIN} ${packetRule(key)}`);
  return lines.length ? ['*mangle', ...lines, 'COMMIT', ''].join('\n') : '';
}

/** What removes the chain and its jumps (userspace mode after kernel mode); empty when absent. */
export function packetsCleanup(have: PacketsState): string {
  if (!have.chain && have.jumps.size === 0) return '';
  return [
    '*mangle',
    ...(have.chain ? [`:${PACKETS_CHAIN} - [0:0]`] : []),
    ...HOOKS.filter((h) => have.jumps.has(h)).map((h) => `-D ${h} -j ${PACKETS_CHAIN}`),
    ...(have.chain ? [`-X ${PACKETS_CHAIN}`] : []),
    'COMMIT',
    '',
  ].join('\n');
}
