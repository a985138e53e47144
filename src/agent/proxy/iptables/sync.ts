// The kernel mode's controller, as kube-proxy's syncProxyRules loop is one: the ProxyTable says
// which Service changed, and the rules of every Service that changed since the last write go to
// the kernel in one partial iptables-restore (events of the same moment are batched; while one
// write runs, the next batch gathers). The first write, and any write after a failure, is a
// full one. After a write, UDP flows to endpoints that are gone are forgotten (conntrack.ts),
// and, with countPackets, the mangle table's counting rules follow the endpoints (packets.ts).
// Everything the kernel holds is what this object last wrote; the table stays the truth.
import type { CounterRow } from '../rules.ts';
import type { ProxyEntry } from '../table.ts';
import { staleFlows } from './conntrack.ts';
import { dnatCounts } from './counters.ts';
import type { Netfilter } from './netfilter.ts';
import { packetKey, packetsRestore, parsePackets, PACKETS_CHAIN, type PacketsState } from './packets.ts';
import { renderService, type PortRules, type RenderContext } from './render.ts';
import { fullRestore, parseExisting, partialRestore } from './restore.ts';

export interface SyncTable {
  /** every entry, by Service then port */
  list(): ProxyEntry[];
  /** the entries of one Service (`namespace/name`) */
  entriesOf(service: string): ProxyEntry[];
}

export interface IptablesSyncOptions extends RenderContext {
  table: SyncTable;
  netfilter: Netfilter;
  log?: (line: string) => void;
  /** the first wait after a failed write (doubles up to 30 s; default 1000 ms) */
  retryMs?: number;
  /** keep a counting rule per endpoint in the mangle table (packets.ts) */
  countPackets?: boolean;
}

interface Applied { entries: ProxyEntry[]; ports: PortRules[] }

export class IptablesSync {
  private readonly o: IptablesSyncOptions;
  private readonly applied = new Map<string, Applied>();
  private readonly dirty = new Set<string>();
  private full = true;
  private busy = false;
  private kicked = false;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private backoff: number;
  private loop?: Promise<void>;
  private readonly said = new Set<string>();
  /** the counting rules in the kernel, as last written (undefined: to be read again) */
  private packets?: PacketsState;
  private resolveReady!: () => void;
  /** resolves after the first successful write of every rule */
  readonly ready: Promise<void>;
  /** writes done (full and partial) and the last failure's message, while failing */
  writes = 0;
  lastError?: string;

  constructor(o: IptablesSyncOptions) {
    this.o = o;
    this.backoff = o.retryMs ?? 1000;
    this.ready = new Promise((r) => (this.resolveReady = r));
  }

  /** Writes every rule (the first time, or again). */
  start(): void {
    this.full = true;
    this.kick();
  }

  /** A Service's entries changed in the table. */
  changed(service: string): void {
    this.dirty.add(service);
    if (!this.retry) this.kick();
  }

  /** Waits for the write in progress, then writes no more (the rules stay in the kernel). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.loop;
  }

  /** Resolves when nothing is waiting to be written (or writing failed and waits to try again). */
  async settled(): Promise<void> {
    while (!this.stopped && !this.retry && (this.busy || this.full || this.dirty.size > 0)) await new Promise((r) => setTimeout(r, 2));
  }

  /** The connections each endpoint chain took (rule counters), by Service and port. */
  async counts(): Promise<CounterRow[]> {
    const counts = dnatCounts(await this.o.netfilter.save('nat', true));
    const packets = this.o.countPackets ? parsePackets(await this.o.netfilter.save('mangle', true)).rules : undefined;
    const out: CounterRow[] = [];
    for (const [, a] of [...this.applied].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
      const byId = new Map(a.entries.map((e) => [e.id, e]));
      for (const p of a.ports) {
        const e = byId.get(p.id);
        if (!e) continue;
        for (const ep of p.endpoints) {
          const n = packets?.get(packetKey(ep.endpoint, e.protocol));
          out.push({ service: e.service, portName: e.portName, endpoint: ep.endpoint, chain: ep.chain, connections: counts.get(ep.chain) ?? 0, ...(n !== undefined ? { packets: n } : {}) });
        }
      }
    }
    return out;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.kicked = true;
      return;
    }
    this.busy = true;
    this.loop = (async () => {
      // setImmediate: every informer event of this moment joins the batch
      await new Promise((r) => setImmediate(r));
      try {
        await this.drain();
      } finally {
        this.busy = false;
      }
      if (!this.stopped && !this.retry && (this.kicked || this.dirty.size > 0)) this.kick();
    })();
  }

  private async drain(): Promise<void> {
    do {
      this.kicked = false;
      if (this.stopped || this.retry) return;
      if (!this.full && this.dirty.size === 0) return;
      try {
        if (this.full) await this.writeAll();
        else await this.writeChanged();
        this.writes++;
        if (this.lastError) this.o.log?.('proxy: iptables rules written again');
        this.lastError = undefined;
        this.backoff = this.o.retryMs ?? 1000;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (msg !== this.lastError) this.o.log?.(`proxy: iptables: ${msg}; writing every rule again in ${this.backoff} ms (the agent serves what has no rule)`);
        this.lastError = msg;
        this.full = true;
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.kick();
        }, this.backoff);
        this.retry.unref?.();
        this.backoff = Math.min(this.backoff * 2, 30_000);
        return;
      }
    } while (this.kicked || this.dirty.size > 0);
  }

  private render(service: string): Applied {
    const entries = this.o.table.entriesOf(service);
    return { entries, ports: renderService(entries, this.o) };
  }

  private async writeAll(): Promise<void> {
    this.dirty.clear();
    const services = [...new Set(this.o.table.list().map((e) => e.service))];
    const next = new Map(services.map((s) => [s, this.render(s)]));
    const existing = parseExisting(await this.o.netfilter.save('nat'), await this.o.netfilter.save('filter'));
    await this.o.netfilter.restore(fullRestore([...next.values()].flatMap((a) => a.ports), existing));
    const before = [...this.applied.values()].flatMap((a) => a.entries);
    this.applied.clear();
    for (const [s, a] of next) this.applied.set(s, a);
    this.full = false;
    this.resolveReady();
    await this.forget(before, [...next.values()].flatMap((a) => a.entries));
    this.packets = undefined; // after a full write, read what the kernel holds again
    await this.countPackets();
  }

  private async writeChanged(): Promise<void> {
    const batch = [...this.dirty];
    this.dirty.clear();
    const before = batch.map((s) => this.applied.get(s));
    const after = batch.map((s) => this.render(s));
    const text = partialRestore(before.flatMap((a) => a?.ports ?? []), after.flatMap((a) => a.ports));
    try {
      if (text) await this.o.netfilter.restore(text);
    } catch (e) {
      for (const s of batch) this.dirty.add(s);
      throw e;
    }
    batch.forEach((s, i) => (after[i]!.entries.length ? this.applied.set(s, after[i]!) : this.applied.delete(s)));
    await this.forget(before.flatMap((a) => a?.entries ?? []), after.flatMap((a) => a.entries));
    await this.countPackets();
  }

  /** The endpoints the written rules send to, as packets.ts keys them (TCP and UDP). */
  private countedEndpoints(): Set<string> {
    const out = new Set<string>();
    for (const a of this.applied.values()) {
      const byId = new Map(a.entries.map((e) => [e.id, e]));
      for (const p of a.ports) {
        const e = byId.get(p.id);
        if (e && (e.protocol === 'TCP' || e.protocol === 'UDP')) for (const ep of p.endpoints) out.add(packetKey(ep.endpoint, e.protocol));
      }
    }
    return out;
  }

  /** Makes the counting rules follow the endpoints; a failure is logged once and leaves the
   * Services' own rules alone (the counts are read again at the next write). */
  private async countPackets(): Promise<void> {
    if (!this.o.countPackets) return;
    const want = this.countedEndpoints();
    try {
      this.packets ??= parsePackets(await this.o.netfilter.save('mangle'));
      const text = packetsRestore(this.packets, want);
      if (text) await this.o.netfilter.restore(text);
      this.packets = { chain: true, jumps: new Set(['POSTROUTING', 'INPUT']), rules: new Map([...want].map((k) => [k, 0])) };
    } catch (e) {
      this.packets = undefined;
      const msg = `proxy: counting packets per endpoint (mangle ${PACKETS_CHAIN}): ${e instanceof Error ? e.message : String(e)}`;
      if (!this.said.has(msg)) {
        this.said.add(msg);
        this.o.log?.(msg);
      }
    }
  }

  /** conntrack -D for the UDP flows the change made stale; a failure is logged (once per
   * message: a node image without conntrack would say it at every change), never retried. */
  private async forget(before: ProxyEntry[], after: ProxyEntry[]): Promise<void> {
    for (const args of staleFlows(before, after)) {
      try {
        await this.o.netfilter.conntrackDelete(args);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        const why = msg.replace(/^conntrack -D [^:]*: /, '');
        if (this.said.has(why)) continue;
        this.said.add(why);
        this.o.log?.(`proxy: ${msg}`);
      }
    }
  }
}
