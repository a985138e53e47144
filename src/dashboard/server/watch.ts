// The dashboard's view of the API: one informer per kind it draws (Nodes, Pods, Services,
// Endpoints, Ingresses, Deployments, ReplicaSets, StatefulSets) and Events for the details pane, every
// namespace, with the CLI's own credentials. Tells its listener (once per moment: events that
// arrive together are one call) when anything changed; says when the API stops answering and
// when it answers again. A kind the API server does not serve (StatefulSets, on a cluster
// started by an older mk) is drawn as none rather than as an API that fails.
import { R } from '../../api/resources.ts';
import { isNotFound } from '../../api/status.ts';
import type { ResourceType } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { Informer, type ListWatchClient } from '../../client/informer.ts';
import type { ClusterObjects } from '../model/graph.ts';

const DRAWN = {
  nodes: R.nodes,
  pods: R.pods,
  services: R.services,
  endpoints: R.endpoints,
  ingresses: R.ingresses,
  deployments: R.deployments,
  replicasets: R.replicasets,
  statefulsets: R.statefulsets,
} as const satisfies Record<keyof ClusterObjects, ResourceType>;

/** Kinds the details pane may show (the ones drawn), by kind name. */
export const SHOWN_KINDS: Record<string, ResourceType> = Object.fromEntries(Object.values(DRAWN).map((r) => [r.kind, r]));

/** Kinds a server may not serve: listed as none on 404, never watched. */
const OPTIONAL = new Set<string>([R.statefulsets.plural]);

/** The client, with OPTIONAL kinds answering an empty list where the server has no such kind. */
export function tolerant(client: ListWatchClient): ListWatchClient {
  const absent = new Set<string>();
  return {
    async list(r, o) {
      try {
        const list = await client.list(r, o);
        absent.delete(r.plural);
        return list;
      } catch (e) {
        if (!OPTIONAL.has(r.plural) || !isNotFound(e)) throw e;
        absent.add(r.plural);
        return { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.listKind, metadata: { resourceVersion: '' }, items: [] };
      }
    },
    watch(r, o) {
      if (!absent.has(r.plural)) return client.watch(r, o);
      // nothing to follow: wait for the informer to stop
      return (async function* () {
        await new Promise<void>((resolve) => (o?.signal?.aborted ? resolve() : o?.signal?.addEventListener('abort', () => resolve(), { once: true })));
      })();
    },
  };
}

export interface ClusterWatchOptions {
  /** a change (or a batch of changes of the same moment) happened */
  onChange(): void;
  /** the API failed (message) or answers again (undefined) */
  onHealth?(error: string | undefined): void;
  /** back-off of the informers after a failure (default theirs) */
  backoffInitialMs?: number;
}

export class ClusterWatch {
  private readonly informers: Record<keyof ClusterObjects, Informer>;
  private readonly events: Informer;
  private readonly o: ClusterWatchOptions;
  private pending = false;
  private error?: string;
  private recovery?: NodeJS.Timeout;

  constructor(client: ListWatchClient, o: ClusterWatchOptions) {
    this.o = o;
    const opts = { onError: (e: unknown) => this.failed(e), backoffInitialMs: o.backoffInitialMs, backoffMaxMs: 5000 };
    const c = tolerant(client);
    this.informers = Object.fromEntries(Object.entries(DRAWN).map(([k, r]) => [k, new Informer(c, r, opts)])) as Record<keyof ClusterObjects, Informer>;
    this.events = new Informer(client, R.events, opts);
    const changed = () => this.changed();
    for (const inf of Object.values(this.informers)) inf.addHandlers({ onAdd: changed, onUpdate: changed, onDelete: changed });
  }

  start(): void {
    for (const inf of [...Object.values(this.informers), this.events]) inf.start();
  }

  async stop(): Promise<void> {
    clearInterval(this.recovery);
    await Promise.all([...Object.values(this.informers), this.events].map((i) => i.stop()));
  }

  /** Resolves once every drawn kind has been listed. */
  async synced(): Promise<void> {
    await Promise.all(Object.values(this.informers).map((i) => i.waitForSync()));
  }

  /** The last error of the API, while it fails. */
  get health(): string | undefined {
    return this.error;
  }

  objects(): ClusterObjects {
    return Object.fromEntries(Object.entries(this.informers).map(([k, i]) => [k, i.list()])) as unknown as ClusterObjects;
  }

  /** A drawn object from the cache. */
  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const r = SHOWN_KINDS[kind];
    if (!r) return undefined;
    const inf = Object.values(this.informers).find((i) => i.resource === r);
    return inf?.get(r.namespaced ? namespace : undefined, name);
  }

  /** The events about an object (by uid, else by kind, namespace and name). */
  eventsAbout(obj: KubeObject): KubeObject[] {
    const { uid, name, namespace } = obj.metadata;
    return this.events.list().filter((e) => {
      const io = e.involvedObject ?? e.regarding ?? {};
      if (uid && io.uid) return io.uid === uid;
      return io.kind === obj.kind && io.name === name && (io.namespace ?? '') === (namespace ?? '');
    });
  }

  private changed(): void {
    if (this.error !== undefined) {
      this.error = undefined;
      this.o.onHealth?.(undefined);
    }
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.o.onChange();
    });
  }

  private failed(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg === this.error) return;
    this.error = msg;
    this.o.onHealth?.(msg);
    // answering again shows as a list that succeeded (it may change nothing)
    const all = [...Object.values(this.informers), this.events];
    const lists = () => all.reduce((n, i) => n + i.lists, 0);
    const before = lists();
    clearInterval(this.recovery);
    this.recovery = setInterval(() => {
      if (lists() === before) return;
      clearInterval(this.recovery);
      if (this.error === undefined) return;
      this.error = undefined;
      this.o.onHealth?.(undefined);
    }, 250);
    this.recovery.unref();
  }
}
