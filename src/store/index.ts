// src/store: the SQLite-backed object store (revisions, atomic writes, watch fan-out) and its
// key scheme. Owns nothing about kinds beyond keys; validation and defaulting live in src/api.
export { HISTORY_BYTES, HISTORY_EVENTS, Store, StoreError, type StoreErrorCode, type StoreEvent, type StoreOptions } from './store.ts';
export { keyFor, prefixFor } from './keys.ts';
