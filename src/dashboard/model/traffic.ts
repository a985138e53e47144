// Traffic per endpoint, from what each node's proxy says (the agents' /rules answers, the numbers
// `mk proxy rules` prints): in the kernel (iptables) mode, the connections each endpoint chain
// took on that node (its DNAT rule's counter) and, when the agent counts them, the packets
// that went to and from the endpoint through a Service. A Service's traffic is the sum over the
// nodes, by endpoint IP (its ports summed); the rate is the rise since the previous sample. A
// node that did not answer this time keeps its last figures, and says so. The counts never go
// down while the dashboard runs: a counter that fell was written anew (kube-proxy rewrites an
// endpoint chain when the Service changes, e.g. its sessionAffinity), so what it counts from
// zero is added to what it had counted (as Prometheus reads a counter reset).
import type { RulesSnapshot } from '../../agent/proxy/rules.ts';

/** One node's answer, or why there is none. */
export interface NodeRules { node: string; rules?: RulesSnapshot; error?: string }

export interface EndpointTraffic {
  connections: number;
  connectionsPerSecond: number;
  packets?: number;
  packetsPerSecond?: number;
}

export interface NodeTrafficState {
  node: string;
  mode?: 'iptables' | 'userspace';
  /** why there are no counters from this node (userspace mode, an error) */
  note?: string;
}

export interface TrafficView {
  /** ms since the epoch */
  at: number;
  nodes: NodeTrafficState[];
  /** Service id (`namespace/name`) → endpoint IP → its traffic */
  services: Record<string, Record<string, EndpointTraffic>>;
}

interface Totals { connections: number; packets?: number }

/** One counter as read (`raw`) and as counted since the dashboard first read it, across resets. */
interface Running { raw: number; total: number }

/** The next reading of a counter: its rise added; after a reset (it fell), all it counts anew. */
function advance(r: Running | undefined, raw: number): Running {
  if (!r) return { raw, total: raw };
  return { raw, total: r.total + (raw >= r.raw ? raw - r.raw : raw) };
}

function stateOf(r: NodeRules, last: RulesSnapshot | undefined): NodeTrafficState {
  const rules = r.rules ?? last;
  const mode = rules?.mode ?? (rules ? 'userspace' : undefined);
  let note: string | undefined;
  if (r.error) note = `did not answer: ${r.error}`;
  else if (rules?.kernelError) note = `kernel rules not written: ${rules.kernelError}`;
  else if (mode === 'userspace') note = `userspace mode${rules?.modeReason ? ` (${rules.modeReason})` : ''}: no per-endpoint counters`;
  return { node: r.node, ...(mode ? { mode } : {}), ...(note ? { note } : {}) };
}

const rise = (now: number, before: number | undefined, seconds: number) => (seconds > 0 ? Math.max(0, now - (before !== undefined && before <= now ? before : 0)) / seconds : 0);

/** Turns successive samples of every node's counters into per-endpoint totals and rates. */
export class TrafficMeter {
  private readonly last = new Map<string, RulesSnapshot>();
  private previous?: { at: number; totals: Map<string, Map<string, Totals>> };
  /** `node|service|ip:port` → its connections and packets counters, as counted */
  private readonly counters = new Map<string, { connections: Running; packets?: Running }>();

  /** Per Service and endpoint IP, the counts summed over nodes and ports, resets counted through.
   * Only the counters read this time are kept: one whose chain went counts from zero if it comes back. */
  private totalsOf(snapshots: RulesSnapshot[]): Map<string, Map<string, Totals>> {
    const out = new Map<string, Map<string, Totals>>();
    const seen = new Set<string>();
    for (const s of snapshots) {
      for (const c of s.counters ?? []) {
        const key = `${s.node}|${c.service}|${c.endpoint}`;
        seen.add(key);
        const before = this.counters.get(key);
        const now = { connections: advance(before?.connections, c.connections), ...(c.packets !== undefined ? { packets: advance(before?.packets, c.packets) } : {}) };
        this.counters.set(key, now);
        const ip = c.endpoint.slice(0, c.endpoint.lastIndexOf(':'));
        let svc = out.get(c.service);
        if (!svc) out.set(c.service, (svc = new Map()));
        const t = svc.get(ip) ?? { connections: 0 };
        t.connections += now.connections.total;
        if (now.packets) t.packets = (t.packets ?? 0) + now.packets.total;
        svc.set(ip, t);
      }
    }
    for (const k of [...this.counters.keys()]) if (!seen.has(k)) this.counters.delete(k);
    return out;
  }

  sample(results: NodeRules[], at: number): TrafficView {
    for (const r of results) if (r.rules) this.last.set(r.node, r.rules);
    const present = new Set(results.map((r) => r.node));
    for (const n of [...this.last.keys()]) if (!present.has(n)) this.last.delete(n);
    const totals = this.totalsOf([...this.last.values()]);
    const seconds = this.previous ? (at - this.previous.at) / 1000 : 0;
    const services: TrafficView['services'] = {};
    for (const [svc, eps] of [...totals].sort((a, b) => a[0].localeCompare(b[0]))) {
      const before = this.previous?.totals.get(svc);
      services[svc] = {};
      for (const [ip, t] of eps) {
        const b = before?.get(ip);
        services[svc][ip] = {
          connections: t.connections,
          connectionsPerSecond: rise(t.connections, b?.connections, seconds),
          ...(t.packets !== undefined ? { packets: t.packets, packetsPerSecond: rise(t.packets, b?.packets, seconds) } : {}),
        };
      }
    }
    this.previous = { at, totals };
    const nodes = results.map((r) => stateOf(r, this.last.get(r.node))).sort((a, b) => a.node.localeCompare(b.node));
    return { at, nodes, services };
  }
}
