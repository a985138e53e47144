// The API server's data dir holds what gives away the cluster: the store (Secrets live in
// store.db and, until a checkpoint, in its -wal file), the CA key, the serving key, the
// bearer token and the service account token signing key. It is made readable by its owner only: the dir 0700, those files 0600, also
// when an older mk left them more open. SQLite gives a new -wal/-shm file the mode of the
// database file, so store.db is created 0600 before SQLite first opens it.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export const STORE_FILE = 'store.db';
/** files that must never be readable by others (the certificates themselves are public) */
const SECRET_FILES = ['ca.key', 'apiserver.key', 'token', 'sa.key'];
const STORE_SIDE_FILES = ['-wal', '-shm', '-journal'];

/** Creates (or tightens) the data dir and its secret files; returns the store's path. */
export function secureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const store = join(dir, STORE_FILE);
  if (!existsSync(store)) closeSync(openSync(store, 'a', 0o600));
  for (const f of [store, ...STORE_SIDE_FILES.map((s) => store + s), ...SECRET_FILES.map((n) => join(dir, n))]) {
    if (existsSync(f)) chmodSync(f, 0o600);
  }
  return store;
}
