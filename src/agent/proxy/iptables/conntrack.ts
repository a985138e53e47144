// Which conntrack flows to forget after a change, as kube-proxy's conntrack cleaner decides
// (pkg/proxy/conntrack/cleanup.go), for UDP only: a UDP "connection" has no end, so a client
// that keeps its socket would keep sending to an endpoint that is gone (or, once a Service port
// gets its first endpoint, to the agent that refused it before). TCP flows to a terminating
// endpoint are left to finish, as kube-proxy leaves them; new ones already go elsewhere.
import type { ProxyEntry } from '../table.ts';

/** `conntrack -D` arguments, one flow filter each. */
export function staleFlows(before: ProxyEntry[], after: ProxyEntry[]): string[][] {
  const out: string[][] = [];
  const now = new Map(after.map((e) => [e.id, e]));
  const was = new Map(before.map((e) => [e.id, e]));
  const ipsOf = (e: ProxyEntry) => [...(e.clusterIP ? [e.clusterIP] : []), ...e.externalIPs];
  for (const old of before) {
    if (old.protocol !== 'UDP') continue;
    const cur = now.get(old.id);
    const keep = new Set((cur?.protocol === 'UDP' ? cur.endpoints : []).map((b) => b.ip));
    for (const ip of new Set(old.endpoints.map((b) => b.ip))) {
      if (keep.has(ip)) continue;
      for (const svcIP of ipsOf(old)) out.push(['-p', 'udp', '--orig-dst', svcIP, '--dst-nat', ip]);
      if (old.nodePort) out.push(['-p', 'udp', '--orig-port-dst', String(old.nodePort), '--dst-nat', ip]);
    }
  }
  for (const cur of after) {
    if (cur.protocol !== 'UDP' || cur.endpoints.length === 0) continue;
    const old = was.get(cur.id);
    if (old && old.protocol === 'UDP' && old.endpoints.length > 0) continue;
    for (const svcIP of ipsOf(cur)) out.push(['-p', 'udp', '--orig-dst', svcIP]);
    if (cur.nodePort) out.push(['-p', 'udp', '--orig-port-dst', String(cur.nodePort)]);
  }
  return out;
}
