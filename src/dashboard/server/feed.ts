// The feed the page follows: Server-Sent Events from the CLI process, which holds the informers
// and the cluster's credentials (the browser gets pictures, never the token). A page that
// connects gets `hello` (the graph, the timeline so far, the last traffic sample, the API's
// health); then `graph` whenever the picture changes (informer events of the same moment make
// one), `timeline` with the entries that change added, `traffic` every second while at least
// one page is open (the nodes' proxy counters are asked for only then), and `health` when the
// API stops or starts answering.
import type { ServerResponse } from 'node:http';
import type { ListWatchClient } from '../../client/informer.ts';
import { buildGraph, type Graph } from '../model/graph.ts';
import { Timeline, type TimelineEntry } from '../model/timeline.ts';
import { TrafficMeter, type NodeRules, type TrafficView } from '../model/traffic.ts';
import { ClusterWatch } from './watch.ts';

export interface FeedOptions {
  client: ListWatchClient;
  /** every node's proxy answer (default: none, and no traffic) */
  traffic?: () => Promise<NodeRules[]>;
  /** how often traffic is sampled while a page is open (default 1000 ms) */
  trafficEveryMs?: number;
  now?: () => number;
  /** the informers' first wait after a failure */
  backoffInitialMs?: number;
}

/** The messages of the feed, by event name (the page's side of the wire format). */
export interface FeedMessages {
  hello: { revision: number; graph: Graph; timeline: TimelineEntry[]; traffic?: TrafficView; health?: string };
  graph: { revision: number; graph: Graph };
  timeline: { entries: TimelineEntry[] };
  traffic: TrafficView;
  health: { error?: string };
}

export function sseMessage<K extends keyof FeedMessages>(event: K, data: FeedMessages[K]): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const EMPTY: Graph = { namespaces: [], nodes: [], unscheduled: [], pods: [], services: [], ingresses: [], workloads: [] };

export class Feed {
  readonly watch: ClusterWatch;
  private readonly o: FeedOptions;
  private readonly now: () => number;
  private readonly pages = new Set<ServerResponse>();
  private readonly timeline = new Timeline();
  private readonly meter = new TrafficMeter();
  private graph: Graph = EMPTY;
  private graphJson = JSON.stringify(EMPTY);
  private revision = 0;
  private synced = false;
  private traffic?: TrafficView;
  private polling?: Promise<void>;
  private stopped = false;
  private readonly keepAlive: NodeJS.Timeout;

  constructor(o: FeedOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
    this.watch = new ClusterWatch(o.client, {
      onChange: () => this.recompute(),
      onHealth: (error) => this.broadcast(sseMessage('health', error === undefined ? {} : { error })),
      backoffInitialMs: o.backoffInitialMs,
    });
    this.keepAlive = setInterval(() => this.broadcast(': keep-alive\n\n'), 15_000);
    this.keepAlive.unref();
  }

  start(): void {
    this.watch.start();
    void this.watch.synced().then(() => {
      this.synced = true;
      this.recompute();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.keepAlive);
    for (const p of this.pages) p.end();
    this.pages.clear();
    await this.watch.stop();
    await this.polling;
  }

  /** Pages connected now. */
  get connected(): number {
    return this.pages.size;
  }

  /** Streams the feed to one page until it goes. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
    res.write('retry: 1000\n\n');
    res.write(sseMessage('hello', {
      revision: this.revision,
      graph: this.graph,
      timeline: this.timeline.entries,
      ...(this.traffic ? { traffic: this.traffic } : {}),
      ...(this.watch.health ? { health: this.watch.health } : {}),
    }));
    this.pages.add(res);
    res.on('close', () => this.pages.delete(res));
    if (this.o.traffic && !this.polling) this.polling = this.poll().finally(() => (this.polling = undefined));
  }

  private recompute(): void {
    if (!this.synced || this.stopped) return;
    const next = buildGraph(this.watch.objects(), new Date(this.now()));
    const json = JSON.stringify(next);
    if (this.revision > 0 && json === this.graphJson) return;
    const first = this.revision === 0;
    const prev = this.graph;
    this.graph = next;
    this.graphJson = json;
    this.revision++;
    this.broadcast(sseMessage('graph', { revision: this.revision, graph: next }));
    if (first) return; // what was there before the dashboard started is no change
    const added = this.timeline.record(prev, next, this.now());
    if (added.length) this.broadcast(sseMessage('timeline', { entries: added }));
  }

  /** Samples the counters every trafficEveryMs while a page is open. */
  private async poll(): Promise<void> {
    const every = this.o.trafficEveryMs ?? 1000;
    while (!this.stopped && this.pages.size > 0) {
      const started = this.now();
      let results: NodeRules[];
      try {
        results = await this.o.traffic!();
      } catch (e) {
        results = [{ node: '(nodes)', error: e instanceof Error ? e.message : String(e) }];
      }
      if (this.stopped) return;
      this.traffic = this.meter.sample(results, this.now());
      this.broadcast(sseMessage('traffic', this.traffic));
      const wait = every - (this.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  private broadcast(text: string): void {
    for (const p of this.pages) {
      // a page that stopped reading is dropped rather than buffered without end
      if (p.writableLength > 16 * 1024 * 1024) p.destroy();
      else p.write(text);
    }
  }
}
