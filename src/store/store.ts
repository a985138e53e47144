// The cluster's one source of truth: Kubernetes objects as JSON text in SQLite (node:sqlite),
// keyed by keys.ts, each write stamped with the next cluster-wide revision, which becomes the
// object's metadata.resourceVersion. Watch fan-out is in memory (watch.ts). The store validates
// and defaults nothing: uid, timestamps, generation are the API server's job.
//
// Durability: the database runs in WAL mode with synchronous=NORMAL. A commit appends the
// transaction's pages to the -wal file with write(2) before COMMIT returns; from then on the
// data is in the kernel's page cache, which survives the death of this process (kill -9, a
// crash, OOM). Only a kernel crash or power loss can drop the last few commits, and even then
// the database stays consistent (the WAL is checksummed; a torn tail is ignored on recovery).
// That is the guarantee we need: a Docker volume in a node container is lost with the machine
// anyway. synchronous=FULL would add an fsync per write for no gain here.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { KubeObject } from '../api/types.ts';
import { StoreError } from './errors.ts';
import { prefixEnd } from './keys.ts';
import { WatchHub, type StoreEvent } from './watch.ts';

export { StoreError, type StoreErrorCode } from './errors.ts';
export type { StoreEvent } from './watch.ts';

/** What the watch history may hold by default: 10,000 events, 64 MiB of objects. */
export const HISTORY_EVENTS = 10000;
export const HISTORY_BYTES = 64 * 1024 * 1024;

export interface StoreOptions {
  /** Events kept for watches that resume from a past revision. Default 10000. */
  historySize?: number;
  /** Bytes of objects (JSON, the previous object included) those events may hold; the oldest go first. Default 64 MiB. */
  historyBytes?: number;
  /** Called when a watch callback throws (default: rethrown asynchronously). */
  onWatchError?: (e: unknown) => void;
}

interface Row {
  rev: number;
  value: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, rev INTEGER NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

export class Store {
  private readonly db: DatabaseSync;
  private readonly hub: WatchHub;
  private rev: number;
  private closed = false;
  // Transaction state: nesting depth, and events held back until the outermost commit.
  private depth = 0;
  private pending: { ev: StoreEvent; bytes: number }[] = [];
  private readonly st: {
    get: StatementSync;
    range: StatementSync;
    rangeAll: StatementSync;
    rangeKeys: StatementSync;
    rangeKeysAll: StatementSync;
    insert: StatementSync;
    update: StatementSync;
    del: StatementSync;
    setRev: StatementSync;
  };

  private constructor(db: DatabaseSync, opts: StoreOptions) {
    this.db = db;
    this.hub = new WatchHub({ events: opts.historySize ?? HISTORY_EVENTS, bytes: opts.historyBytes ?? HISTORY_BYTES }, opts.onWatchError);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec(SCHEMA);
    this.st = {
      get: db.prepare('SELECT rev, value FROM kv WHERE key = ?'),
      range: db.prepare('SELECT value FROM kv WHERE key >= ? AND key < ? ORDER BY key'),
      rangeAll: db.prepare('SELECT value FROM kv WHERE key >= ? ORDER BY key'),
      rangeKeys: db.prepare('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key'),
      rangeKeysAll: db.prepare('SELECT key, value FROM kv WHERE key >= ? ORDER BY key'),
      insert: db.prepare('INSERT INTO kv (key, rev, value) VALUES (?, ?, ?)'),
      update: db.prepare('UPDATE kv SET rev = ?, value = ? WHERE key = ?'),
      del: db.prepare('DELETE FROM kv WHERE key = ?'),
      setRev: db.prepare("INSERT INTO meta (name, value) VALUES ('revision', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value"),
    };
    const meta = db.prepare("SELECT value FROM meta WHERE name = 'revision'").get() as { value: number } | undefined;
    const maxRow = db.prepare('SELECT max(rev) AS m FROM kv').get() as { m: number | null };
    this.rev = Math.max(meta?.value ?? 0, maxRow.m ?? 0);
  }

  /** Opens (creating if needed) the database at `file`, or an in-memory one for ':memory:'. */
  static open(file: string, opts: StoreOptions = {}): Store {
    return new Store(new DatabaseSync(file), opts);
  }

  /** The current cluster-wide revision (the last committed write's). */
  get revision(): number {
    return this.rev;
  }

  /** A fresh copy of the object at key, or undefined. */
  get(key: string): KubeObject | undefined {
    this.checkOpen();
    const row = this.st.get.get(key) as Row | undefined;
    return row ? (JSON.parse(row.value) as KubeObject) : undefined;
  }

  /** Every object whose key starts with prefix, sorted by key, with the revision they were read at. */
  list(prefix: string): { items: KubeObject[]; revision: number } {
    this.checkOpen();
    const end = prefixEnd(prefix);
    const rows = (end === undefined ? this.st.rangeAll.all(prefix) : this.st.range.all(prefix, end)) as { value: string }[];
    return { items: rows.map((r) => JSON.parse(r.value) as KubeObject), revision: this.rev };
  }

  /** Like list(), with each object's key: `[key, object]` pairs sorted by key. */
  listEntries(prefix: string): { entries: [string, KubeObject][]; revision: number } {
    this.checkOpen();
    const end = prefixEnd(prefix);
    const rows = (end === undefined ? this.st.rangeKeysAll.all(prefix) : this.st.rangeKeys.all(prefix, end)) as { key: string; value: string }[];
    return { entries: rows.map((r) => [r.key, JSON.parse(r.value) as KubeObject]), revision: this.rev };
  }

  /** Stores a new object; AlreadyExists if the key is taken. Returns the stored copy. */
  create(key: string, obj: KubeObject): KubeObject {
    return this.write(() => {
      if (this.st.get.get(key)) throw StoreError.alreadyExists(key);
      const rev = this.rev + 1;
      const text = stamp(obj, rev);
      this.st.insert.run(key, rev, text);
      return this.commitWrite({ type: 'ADDED', key, revision: rev, object: JSON.parse(text) }, text, 0);
    });
  }

  /** Replaces an object; NotFound if absent, Conflict if expectedRevision is given and stale. */
  update(key: string, obj: KubeObject, expectedRevision?: number): KubeObject {
    return this.write(() => {
      const old = this.st.get.get(key) as Row | undefined;
      if (!old) throw StoreError.notFound(key);
      if (expectedRevision !== undefined && expectedRevision !== old.rev) throw StoreError.conflict(key, expectedRevision, old.rev);
      const rev = this.rev + 1;
      const text = stamp(obj, rev);
      this.st.update.run(rev, text, key);
      return this.commitWrite({ type: 'MODIFIED', key, revision: rev, object: JSON.parse(text), prev: JSON.parse(old.value) }, text, old.value.length);
    });
  }

  /** Removes an object; returns it with the delete's revision as its resourceVersion. */
  delete(key: string, expectedRevision?: number): KubeObject {
    return this.write(() => {
      const old = this.st.get.get(key) as Row | undefined;
      if (!old) throw StoreError.notFound(key);
      if (expectedRevision !== undefined && expectedRevision !== old.rev) throw StoreError.conflict(key, expectedRevision, old.rev);
      const rev = this.rev + 1;
      this.st.del.run(key);
      const prev = JSON.parse(old.value) as KubeObject;
      const text = stamp(prev, rev);
      return this.commitWrite({ type: 'DELETED', key, revision: rev, object: JSON.parse(text), prev }, text, old.value.length);
    });
  }

  /**
   * Runs fn so that all its writes commit together, or none do (fn throws). Watch events go out
   * only after the outermost commit. fn must be synchronous. Nested calls are savepoints.
   */
  transaction<T>(fn: () => T): T {
    this.checkOpen();
    const outer = this.depth === 0;
    const sp = `sp${this.depth}`;
    const savedRev = this.rev;
    const savedPending = this.pending.length;
    this.db.exec(outer ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${sp}`);
    this.depth++;
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) throw new Error('Store.transaction: fn must be synchronous (it returned a Promise)');
    } catch (e) {
      this.depth--;
      this.db.exec(outer ? 'ROLLBACK' : `ROLLBACK TO ${sp}; RELEASE ${sp}`);
      this.rev = savedRev;
      this.pending.length = savedPending;
      throw e;
    }
    this.depth--;
    if (!outer) {
      this.db.exec(`RELEASE ${sp}`);
      return result;
    }
    try {
      this.st.setRev.run(this.rev);
      this.db.exec('COMMIT');
    } catch (e) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      this.rev = savedRev;
      this.pending = [];
      throw e;
    }
    const events = this.pending;
    this.pending = [];
    for (const { ev, bytes } of events) this.hub.publish(ev, bytes);
    return result;
  }

  /**
   * Delivers every event under prefix with revision > fromRevision: first the kept history,
   * then live events, in revision order. Throws StoreError('Expired') when fromRevision is
   * older than the history kept (always the case for a past revision right after a restart).
   */
  watch(prefix: string, fromRevision: number, onEvent: (ev: StoreEvent) => void): () => void {
    this.checkOpen();
    return this.hub.watch(prefix, fromRevision, this.rev, onEvent);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hub.clear();
    this.db.close();
  }

  private write(fn: () => KubeObject): KubeObject {
    return this.transaction(fn);
  }

  /** Takes the event's revision and queues the event for after commit; returns the caller's copy. */
  private commitWrite(ev: StoreEvent, text: string, prevBytes: number): KubeObject {
    this.rev = ev.revision;
    this.pending.push({ ev, bytes: text.length + prevBytes });
    return JSON.parse(text) as KubeObject;
  }

  /** What the watch history holds now (events, bytes of JSON). */
  get history(): { events: number; bytes: number } {
    return this.hub.history;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}

/** JSON text of obj with metadata.resourceVersion set to rev (obj is not modified). */
function stamp(obj: KubeObject, rev: number): string {
  return JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
}
