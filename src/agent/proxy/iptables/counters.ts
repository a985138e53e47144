// Rule counters read back from `iptables-save -c -t nat`: the packets of an endpoint chain's DNAT
// rule. The nat table sees only the first packet of each connection (conntrack NATs the rest),
// so the figure is the number of connections (or UDP flows) this node sent to that endpoint
// since its chain was written — what `mk proxy rules` shows per endpoint.

/** DNAT packet counts by endpoint chain (KUBE-SEP-…). */
export function dnatCounts(saved: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of saved.split('\n')) {
    const m = /^\[(\d+):\d+\] -A (KUBE-SEP-\S+) .*-j DNAT\b/.exec(line);
    if (m) out.set(m[2]!, (out.get(m[2]!) ?? 0) + Number(m[1]));
  }
  return out;
}
