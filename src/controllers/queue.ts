// The controllers' work queue: keys (`namespace/name`) waiting to be reconciled. A key is held
// at most once however often it is added; a key added while it is being processed runs once
// more afterwards; failures come back after a per-key exponential delay (base * 2^failures,
// capped), and a success forgets the failures. One key is processed at a time, so a
// controller's reconcile never races itself. Time comes from the injected Clock.
import { realClock, type Clock } from './clock.ts';

export interface WorkQueueOptions {
  clock?: Clock;
  baseDelayMs?: number; // first retry delay (default 5 ms, as client-go)
  maxDelayMs?: number; // cap (default 60 s)
  onError?: (key: string, e: unknown) => void;
}

export class WorkQueue {
  private readonly process: (key: string) => Promise<void>;
  private readonly clock: Clock;
  private readonly base: number;
  private readonly max: number;
  private readonly onError: (key: string, e: unknown) => void;
  private readonly queued = new Set<string>(); // insertion order = processing order
  private readonly dirty = new Set<string>(); // added again while processing
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; handle: unknown }>();
  private processing?: string;
  private running = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(process: (key: string) => Promise<void>, opts: WorkQueueOptions = {}) {
    this.process = process;
    this.clock = opts.clock ?? realClock;
    this.base = opts.baseDelayMs ?? 5;
    this.max = opts.maxDelayMs ?? 60_000;
    this.onError = opts.onError ?? ((key, e) => console.error(`reconcile ${key}:`, e));
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.processing === key) {
      this.dirty.add(key);
      return;
    }
    this.queued.add(key);
    this.kick();
  }

  /** Adds key after ms; an earlier pending delay for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const cur = this.delayed.get(key);
    if (cur && cur.at <= at) return;
    if (cur) this.clock.clearTimeout(cur.handle);
    const handle = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, handle });
  }

  /** Re-adds key after its back-off delay, which doubles with each consecutive failure. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.max, this.base * 2 ** n));
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  get length(): number {
    return this.queued.size;
  }

  /** Resolves when nothing is queued or processing (delayed keys do not count). */
  whenIdle(): Promise<void> {
    if (!this.running && this.queued.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  shutdown(): void {
    this.stopped = true;
    this.queued.clear();
    this.dirty.clear();
    for (const d of this.delayed.values()) this.clock.clearTimeout(d.handle);
    this.delayed.clear();
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // Start on a later tick so that a burst of adds (one informer event fanning out) dedups.
    setImmediate(() => void this.loop());
  }

  private async loop(): Promise<void> {
    while (!this.stopped && this.queued.size > 0) {
      const key = this.queued.values().next().value as string;
      this.queued.delete(key);
      this.processing = key;
      try {
        await this.process(key);
        this.forget(key);
      } catch (e) {
        if (!this.stopped) {
          this.onError(key, e);
          this.addRateLimited(key);
        }
      }
      this.processing = undefined;
      if (this.dirty.delete(key)) this.queued.add(key);
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
