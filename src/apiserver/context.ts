// What every handler works with: the store, the Service allocator, the garbage collector, the
// service account token key, and the parsed request. Also the mapping from store failures to Kubernetes Status errors.
import type { IncomingHttpHeaders } from 'node:http';
import type { ResourceType } from '../api/resources.ts';
import { errors } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import type { GarbageCollector } from './garbage-collector.ts';
import { keyFor, StoreError, type Store } from '../store/index.ts';
import type { ServiceAllocator } from './allocators.ts';
import type { SigningKey } from './tokens/jwt.ts';
import type { RequestUser } from './authn.ts';

export interface ServerContext {
  store: Store;
  allocator: ServiceAllocator;
  gc: GarbageCollector;
  now(): Date;
  /** signs and checks service account tokens (absent: none are issued or accepted) */
  signingKey?: SigningKey;
}

export interface ResourceRequest {
  method: string;
  r: ResourceType;
  namespace?: string;
  name?: string;
  sub?: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body?: Buffer;
  /** who sent it (the access reviews answer for them) */
  user?: RequestUser;
}

export function keyOf(r: ResourceType, namespace: string | undefined, name: string): string {
  return keyFor(r, r.namespaced ? namespace : undefined, name);
}

/** Store failures as the Status errors Kubernetes answers with; anything else passes through. */
export function apiErrorOf(e: unknown, r: ResourceType, name: string): unknown {
  if (!(e instanceof StoreError)) return e;
  switch (e.code) {
    case 'NotFound': return errors.notFound(r, name);
    case 'AlreadyExists': return errors.alreadyExists(r, name);
    case 'Conflict': return errors.conflict(r, name);
    case 'Expired': return errors.expired(e.message);
  }
}

export function isDryRun(q: URLSearchParams): boolean {
  const d = q.getAll('dryRun');
  for (const v of d) if (v !== 'All') throw errors.badRequest(`Invalid dry run value: ${v}; valid values are "All"`);
  return d.length > 0;
}

export function mustGet(ctx: ServerContext, r: ResourceType, namespace: string | undefined, name: string): KubeObject {
  const obj = ctx.store.get(keyOf(r, namespace, name));
  if (!obj) throw errors.notFound(r, name);
  return obj;
}

export function requireNamespace(ctx: ServerContext, namespace: string): KubeObject {
  const ns = ctx.store.get(`/core/namespaces/${namespace}`);
  if (!ns) throw errors.notFound({ group: '', plural: 'namespaces', kind: 'Namespace' }, namespace);
  return ns;
}

