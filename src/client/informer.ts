// ListWatch with a local cache, after kubernetes-client/javascript's src/cache.ts: list one
// resource, then watch from the list's resourceVersion; when the watch fails (410 Expired, a
// dropped connection) or the server closes the stream, list again after a back-off and
// reconcile the cache against the new list, so handlers see every change exactly as
// add/update/delete. The cache is keyed `namespace/name` (`name` for cluster-scoped kinds),
// as client-go's MetaNamespaceKeyFunc. Delays and time are injectable for tests.
import type { ResourceType } from '../api/resources.ts';
import type { KubeObject, KubeList, WatchEvent } from '../api/types.ts';
import type { ListOptions, WatchOptions } from './index.ts';

/** The part of KubeClient an informer needs. */
export interface ListWatchClient {
  list(r: ResourceType, o?: ListOptions): Promise<KubeList>;
  watch(r: ResourceType, o?: WatchOptions): AsyncIterable<WatchEvent>;
}

export interface InformerHandlers {
  onAdd?(obj: KubeObject): void;
  onUpdate?(obj: KubeObject, old: KubeObject): void;
  onDelete?(obj: KubeObject): void;
}

export interface InformerOptions {
  /** Only this namespace (default: every namespace). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Waits ms, or until the signal aborts. Default: a timer. */
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Back-off after a failure: initial, doubled per consecutive failure, capped (ms). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Server-side watch timeout; the stream then closes and the informer re-lists. */
  watchTimeoutSeconds?: number;
  onError?: (e: unknown) => void;
}

export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : `${name}`;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

const defaultDelay = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

export class Informer {
  readonly resource: ResourceType;
  private readonly client: ListWatchClient;
  private readonly opts: InformerOptions;
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private readonly delay: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly onError: (e: unknown) => void;
  private abort?: AbortController;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private loop?: Promise<void>;
  /** The resourceVersion of the last list or event seen. */
  resourceVersion = '';
  /** Lists made so far (tests observe re-lists). */
  lists = 0;

  constructor(client: ListWatchClient, resource: ResourceType, opts: InformerOptions = {}) {
    this.client = client;
    this.resource = resource;
    this.opts = opts;
    this.delay = opts.delay ?? defaultDelay;
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError ?? ((e) => console.error(`informer ${resource.plural}:`, e));
  }

  /** Handlers run synchronously after the cache changed; a new handler hears onAdd for every cached object. */
  addHandlers(h: InformerHandlers): void {
    this.handlers.push(h);
    if (h.onAdd) for (const obj of this.cache.values()) this.call(() => h.onAdd!(obj));
  }

  start(): void {
    if (this.abort) return;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.abort = undefined;
    this.loop = undefined;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves after the first successful list has filled the cache. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  getByKey(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  /** Cached objects, of one namespace when given, in key order. */
  list(namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.cache.values()) if (namespace === undefined || obj.metadata.namespace === namespace) out.push(obj);
    return out.sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : 1));
  }

  private async run(signal: AbortSignal): Promise<void> {
    const initial = this.opts.backoffInitialMs ?? 800;
    const max = this.opts.backoffMaxMs ?? 30_000;
    let backoff = initial;
    while (!signal.aborted) {
      let wait = 0;
      try {
        const list = await this.client.list(this.resource, {
          namespace: this.opts.namespace,
          allNamespaces: !this.opts.namespace,
          labelSelector: this.opts.labelSelector,
          fieldSelector: this.opts.fieldSelector,
        });
        if (signal.aborted) break;
        this.lists++;
        this.replace(list.items);
        this.resourceVersion = list.metadata.resourceVersion ?? '';
        this.markSynced();
        const started = this.now();
        await this.watch(signal);
        if (signal.aborted) break;
        // A clean close: re-list at once if the stream lived a while, else back off.
        if (this.now() - started >= initial) backoff = initial;
        else wait = backoff;
      } catch (e) {
        if (signal.aborted) break;
        // 410 Expired: the resourceVersion is too old; re-list at once. Anything else backs off.
        if (isExpired(e)) wait = 0;
        else {
          this.onError(e);
          wait = backoff;
        }
      }
      if (wait > 0) {
        backoff = Math.min(max, backoff * 2);
        await this.delay(wait, signal);
      }
    }
  }

  private async watch(signal: AbortSignal): Promise<void> {
    const events = this.client.watch(this.resource, {
      namespace: this.opts.namespace,
      allNamespaces: !this.opts.namespace,
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
      resourceVersion: this.resourceVersion,
      timeoutSeconds: this.opts.watchTimeoutSeconds,
      signal,
    });
    for await (const ev of events) {
      if (signal.aborted) return;
      const obj = ev.object;
      const rv = obj?.metadata?.resourceVersion;
      if (ev.type === 'BOOKMARK') {
        if (rv) this.resourceVersion = rv;
        continue;
      }
      const key = objectKey(obj);
      const old = this.cache.get(key);
      if (ev.type === 'DELETED') {
        this.cache.delete(key);
        this.emit('delete', old ?? obj, old ?? obj);
      } else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') {
        this.cache.set(key, obj);
        this.emit(old ? 'update' : 'add', obj, old);
      }
      if (rv) this.resourceVersion = rv;
    }
  }

  /** Makes the cache equal to items, telling handlers what changed. */
  private replace(items: KubeObject[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit('add', obj, undefined);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('update', obj, old);
    }
    for (const [key, old] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.emit('delete', old, old);
    }
  }

  private emit(kind: 'add' | 'update' | 'delete', obj: KubeObject, old: KubeObject | undefined): void {
    for (const h of this.handlers) {
      if (kind === 'add' && h.onAdd) this.call(() => h.onAdd!(obj));
      else if (kind === 'update' && h.onUpdate) this.call(() => h.onUpdate!(obj, old!));
      else if (kind === 'delete' && h.onDelete) this.call(() => h.onDelete!(obj));
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.onError(e);
    }
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    const w = this.syncWaiters;
    this.syncWaiters = [];
    for (const f of w) f();
  }
}

function isExpired(e: unknown): boolean {
  const x = e as { code?: number; reason?: string };
  return x?.code === 410 || x?.reason === 'Expired' || x?.reason === 'Gone';
}

/** One informer per resource, shared by every controller that reads it. */
export class InformerFactory {
  private readonly client: ListWatchClient;
  private readonly opts: InformerOptions;
  private readonly informers = new Map<string, Informer>();

  constructor(client: ListWatchClient, opts: InformerOptions = {}) {
    this.client = client;
    this.opts = opts;
  }

  for(r: ResourceType): Informer {
    const id = `${r.group}/${r.plural}`;
    let inf = this.informers.get(id);
    if (!inf) this.informers.set(id, (inf = new Informer(this.client, r, this.opts)));
    return inf;
  }

  start(): void {
    for (const i of this.informers.values()) i.start();
  }

  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
