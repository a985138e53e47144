// In-memory watch fan-out for the store: a ring buffer of the last events (so a watch can
// resume from a recent revision), bounded by count and by bytes (the JSON size of each event's
// object and previous object; the newest event is always kept), so large objects cannot grow
// the server without bound; and a registry of watchers keyed by prefix, so publishing an
// event costs O(distinct prefix lengths + watchers whose prefix matches), never O(all watchers).
// Events are delivered in revision order to every watcher, even when a watcher's callback
// writes to the store (re-entrant writes are queued behind the event being delivered).
import type { KubeObject } from '../api/types.ts';
import { StoreError } from './errors.ts';

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  revision: number;
  object: KubeObject;
  prev?: KubeObject;
}

interface Watcher {
  prefix: string;
  lastRevision: number; // highest revision delivered (or the start revision): dedups replay vs live
  active: boolean;
  onEvent: (ev: StoreEvent) => void;
}

export interface HistoryLimits {
  /** Events kept at most. */
  events: number;
  /** Bytes kept at most (the sizes given to publish), the newest event aside. */
  bytes: number;
}

export class WatchHub {
  private readonly ring: (StoreEvent | undefined)[];
  private readonly sizes: Float64Array;
  private ringStart = 0; // index of the oldest kept event
  private ringSize = 0;
  private ringBytes = 0;
  private readonly maxBytes: number;
  private readonly byPrefix = new Map<string, Set<Watcher>>();
  private readonly prefixLengths = new Map<number, number>(); // length -> number of prefixes of that length
  private readonly queue: StoreEvent[] = [];
  private draining = false;
  private readonly onError: (e: unknown) => void;

  constructor(limits: HistoryLimits, onError?: (e: unknown) => void) {
    const { events, bytes } = limits;
    if (!Number.isInteger(events) || events < 1) throw new RangeError(`historySize must be a positive integer, got ${events}`);
    if (!(bytes >= 0)) throw new RangeError(`historyBytes must be a number of bytes, got ${bytes}`);
    this.ring = new Array(events);
    this.sizes = new Float64Array(events);
    this.maxBytes = bytes;
    // A throwing watcher is a bug in that watcher: the write already committed, so it must not
    // fail the writer. Surface it asynchronously unless the owner gave a handler.
    this.onError = onError ?? ((e) => queueMicrotask(() => { throw e; }));
  }

  /** Records a committed event (`bytes`: what keeping it costs) and delivers it to matching watchers. */
  publish(ev: StoreEvent, bytes = 0): void {
    const cap = this.ring.length;
    if (this.ringSize === cap) this.dropOldest();
    const i = (this.ringStart + this.ringSize) % cap;
    this.ring[i] = ev;
    this.sizes[i] = bytes;
    this.ringSize++;
    this.ringBytes += bytes;
    while (this.ringBytes > this.maxBytes && this.ringSize > 1) this.dropOldest();
    this.queue.push(ev);
    this.drain();
  }

  /** What the kept history holds: events and their bytes. */
  get history(): { events: number; bytes: number } {
    return { events: this.ringSize, bytes: this.ringBytes };
  }

  private dropOldest(): void {
    const i = this.ringStart;
    this.ringBytes -= this.sizes[i]!;
    this.ring[i] = undefined;
    this.sizes[i] = 0;
    this.ringStart = (i + 1) % this.ring.length;
    this.ringSize--;
  }

  /**
   * Registers a watcher for events with revision > fromRevision under prefix; replays the kept
   * history first. `currentRevision` is the store's revision (used when the history is empty).
   */
  watch(prefix: string, fromRevision: number, currentRevision: number, onEvent: (ev: StoreEvent) => void): () => void {
    const oldest = this.ringSize > 0 ? this.at(0).revision : currentRevision + 1;
    if (fromRevision < oldest - 1) throw StoreError.expired(fromRevision, oldest - 1);
    const w: Watcher = { prefix, lastRevision: fromRevision, active: true, onEvent };
    this.add(w);
    const wasDraining = this.draining;
    this.draining = true; // writes made by callbacks during the replay queue up behind it
    try {
      for (let i = this.firstAfter(fromRevision); i < this.ringSize; i++) {
        const ev = this.at(i);
        if (ev.key.startsWith(prefix)) this.deliver(w, ev);
      }
    } finally {
      this.draining = wasDraining;
    }
    this.drain();
    return () => {
      if (!w.active) return;
      w.active = false;
      this.remove(w);
    };
  }

  /** Drops every watcher (store closed). */
  clear(): void {
    for (const set of this.byPrefix.values()) for (const w of set) w.active = false;
    this.byPrefix.clear();
    this.prefixLengths.clear();
  }

  get oldestRevision(): number | undefined {
    return this.ringSize > 0 ? this.at(0).revision : undefined;
  }

  private at(i: number): StoreEvent {
    return this.ring[(this.ringStart + i) % this.ring.length]!;
  }

  /** Index of the first kept event with revision > rev (binary search; revisions increase). */
  private firstAfter(rev: number): number {
    let lo = 0;
    let hi = this.ringSize;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision > rev) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const ev = this.queue.shift()!;
        for (const w of this.matching(ev.key)) this.deliver(w, ev);
      }
    } finally {
      this.draining = false;
    }
  }

  private matching(key: string): Watcher[] {
    const out: Watcher[] = [];
    for (const len of this.prefixLengths.keys()) {
      if (len > key.length) continue;
      const set = this.byPrefix.get(key.slice(0, len));
      if (set) for (const w of set) out.push(w);
    }
    return out;
  }

  private deliver(w: Watcher, ev: StoreEvent): void {
    if (!w.active || ev.revision <= w.lastRevision) return;
    w.lastRevision = ev.revision;
    try {
      w.onEvent(ev);
    } catch (e) {
      this.onError(e);
    }
  }

  private add(w: Watcher): void {
    let set = this.byPrefix.get(w.prefix);
    if (!set) {
      set = new Set();
      this.byPrefix.set(w.prefix, set);
      this.prefixLengths.set(w.prefix.length, (this.prefixLengths.get(w.prefix.length) ?? 0) + 1);
    }
    set.add(w);
  }

  private remove(w: Watcher): void {
    const set = this.byPrefix.get(w.prefix);
    if (!set) return;
    set.delete(w);
    if (set.size === 0) {
      this.byPrefix.delete(w.prefix);
      const n = (this.prefixLengths.get(w.prefix.length) ?? 1) - 1;
      if (n === 0) this.prefixLengths.delete(w.prefix.length);
      else this.prefixLengths.set(w.prefix.length, n);
    }
  }
}
