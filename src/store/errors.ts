// The store's own failures. The API server maps them to Kubernetes Status errors
// (NotFound 404, AlreadyExists 409, Conflict 409, Expired 410); the store knows no kinds.

export type StoreErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly key?: string;
  /** Expired only: the revision the watch asked for. */
  readonly requestedRevision?: number;
  /** Expired only: the oldest revision a watch may still start from (Kubernetes' number in parentheses). */
  readonly oldestRevision?: number;

  constructor(code: StoreErrorCode, message: string, opts: { key?: string; requestedRevision?: number; oldestRevision?: number } = {}) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.key = opts.key;
    this.requestedRevision = opts.requestedRevision;
    this.oldestRevision = opts.oldestRevision;
  }

  static notFound(key: string): StoreError {
    return new StoreError('NotFound', `key not found: ${key}`, { key });
  }
  static alreadyExists(key: string): StoreError {
    return new StoreError('AlreadyExists', `key already exists: ${key}`, { key });
  }
  static conflict(key: string, expected: number, actual: number): StoreError {
    return new StoreError('Conflict', `revision mismatch for ${key}: expected ${expected}, stored ${actual}`, { key });
  }
  /** Kubernetes' watch cache wording: `too old resource version: 5 (1200)`. */
  static expired(requested: number, oldest: number): StoreError {
    return new StoreError('Expired', `too old resource version: ${requested} (${oldest})`, { requestedRevision: requested, oldestRevision: oldest });
  }
}
