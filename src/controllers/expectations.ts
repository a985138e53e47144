// Controller expectations (Kubernetes' ControllerExpectations, by name): after a controller
// creates or deletes objects it waits until its informer has seen those changes before acting
// on the same key again, so a stale cache never makes it create the same pods twice. An
// expectation that is never observed expires after a TTL (5 minutes, as Kubernetes).
import type { Clock } from './clock.ts';

interface Pending {
  adds: Set<string>;
  dels: Set<string>;
  at: number;
}

export class Expectations {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly map = new Map<string, Pending>();

  constructor(clock: Clock, ttlMs = 5 * 60_000) {
    this.clock = clock;
    this.ttlMs = ttlMs;
  }

  private entry(key: string): Pending {
    let e = this.map.get(key);
    if (!e) this.map.set(key, (e = { adds: new Set(), dels: new Set(), at: this.clock.now() }));
    e.at = this.clock.now();
    return e;
  }

  expectCreations(key: string, names: string[]): void {
    const e = this.entry(key);
    for (const n of names) e.adds.add(n);
  }

  expectDeletions(key: string, names: string[]): void {
    const e = this.entry(key);
    for (const n of names) e.dels.add(n);
  }

  creationObserved(key: string, name: string): void {
    this.map.get(key)?.adds.delete(name);
  }

  deletionObserved(key: string, name: string): void {
    this.map.get(key)?.dels.delete(name);
  }

  satisfied(key: string): boolean {
    const e = this.map.get(key);
    if (!e) return true;
    if ((e.adds.size === 0 && e.dels.size === 0) || this.clock.now() - e.at > this.ttlMs) {
      this.map.delete(key);
      return true;
    }
    return false;
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}
