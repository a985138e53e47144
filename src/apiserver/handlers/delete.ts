// DELETE of one object and of collections, with Kubernetes' propagation policies:
// Background (default; A's GarbageCollector removes dependents after the owner is gone),
// Foreground (owner marked with deletionTimestamp + the foregroundDeletion finalizer, dependents
// deleted first, then the owner) and Orphan (dependents lose their ownerReference to the owner,
// then the owner goes). Deleting a Namespace marks it Terminating and deletes everything in it.
// Pods on a node are deleted gracefully (pod-grace.ts): marked Terminating for their kubelet,
// also when a cascade (foreground, the garbage collector) deletes them.
import { RESOURCES, type ResourceType } from '../../api/resources.ts';
import { ApiError, qualified, isNotFound } from '../../api/status.ts';
import type { KubeObject } from '../../api/types.ts';
import { prefixFor, StoreError } from '../../store/index.ts';
import { apiErrorOf, keyOf, mustGet, type ResourceRequest, type ServerContext } from '../context.ts';
import { deleteOptions, type DeleteOptions, type Policy } from './delete-options.ts';
import type { Reply } from '../http.ts';
import { success } from '../http.ts';
import { parseSelector } from '../selectors.ts';
import { listMatching } from './read.ts';
import { rfc3339 } from '../admit.ts';
import { planPodDelete } from './pod-grace.ts';

/** Kinds whose delete answers with the deleted object (Kubernetes' ReturnDeletedObject); others answer a Status. */
const RETURNS_OBJECT = new Set(['Pod', 'Service', 'Namespace', 'Node']);
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** Removes one stored object (releasing a Service's IP and ports). Throws StoreError as the store does. */
export function removeObject(ctx: ServerContext, key: string, obj: KubeObject): KubeObject {
  const gone = ctx.store.delete(key, Number(obj.metadata.resourceVersion));
  if (gone.kind === 'Service') ctx.allocator.release(gone);
  return gone;
}

/**
 * How a cascade deletes a dependent (foreground here, background in the garbage collector): a pod
 * on a node is marked Terminating with its own grace period, anything else is removed. Throws
 * StoreError NotFound/Conflict as the store does.
 */
export function cascadeDelete(ctx: ServerContext, key: string, obj: KubeObject): void {
  if (obj.kind === 'Pod' || key.startsWith('/core/pods/')) {
    const plan = planPodDelete(obj, undefined, ctx.now());
    if (plan.action === 'keep') return;
    if (plan.action === 'mark') {
      ctx.store.update(key, plan.pod, Number(obj.metadata.resourceVersion));
      return;
    }
  }
  if (obj.metadata.finalizers?.length) {
    if (obj.metadata.deletionTimestamp && !obj.metadata.deletionGracePeriodSeconds) return;
    const marked = structuredClone(obj);
    marked.metadata.deletionTimestamp = rfc3339(ctx.now());
    marked.metadata.deletionGracePeriodSeconds = 0;
    ctx.store.update(key, marked, Number(obj.metadata.resourceVersion));
    return;
  }
  removeObject(ctx, key, obj);
}

function tryRemove(ctx: ServerContext, key: string): void {
  const obj = ctx.store.get(key);
  if (!obj) return;
  try {
    removeObject(ctx, key, obj);
  } catch (e) {
    if (!(e instanceof StoreError && e.code === 'NotFound')) throw e;
  }
}

/** Foreground: dependents (and theirs) go before the owner; pods among them terminate gracefully. */
function removeTree(ctx: ServerContext, key: string, seen = new Set<string>()): void {
  const root = seen.size === 0;
  if (seen.has(key)) return;
  seen.add(key);
  const obj = ctx.store.get(key);
  if (!obj) return;
  if (obj.metadata.uid) for (const dep of ctx.gc.dependentsOf(obj.metadata.uid)) removeTree(ctx, dep, seen);
  if (root) return tryRemove(ctx, key);
  const cur = ctx.store.get(key);
  if (!cur) return;
  try {
    cascadeDelete(ctx, key, cur);
  } catch (e) {
    if (!(e instanceof StoreError && e.code === 'NotFound')) throw e;
  }
}

function orphanDependents(ctx: ServerContext, uid: string): void {
  for (const dep of ctx.gc.dependentsOf(uid)) {
    const d = ctx.store.get(dep);
    if (!d) continue;
    const refs = (d.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid);
    if (refs.length) d.metadata.ownerReferences = refs;
    else delete d.metadata.ownerReferences;
    ctx.store.update(dep, d);
  }
}

function checkPreconditions(r: ResourceType, obj: KubeObject, opts: DeleteOptions): void {
  const p = opts.preconditions;
  if (p?.uid && p.uid !== obj.metadata.uid) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r, obj.metadata.name!)}: Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid}`, { name: obj.metadata.name, kind: r.plural });
  }
  if (p?.resourceVersion && p.resourceVersion !== obj.metadata.resourceVersion) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r, obj.metadata.name!)}: Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`, { name: obj.metadata.name, kind: r.plural });
  }
}

function answer(r: ResourceType, obj: KubeObject, code = 200): Reply {
  if (RETURNS_OBJECT.has(r.kind) || code === 202) return { code, body: obj };
  const details: Record<string, string> = { name: obj.metadata.name!, kind: r.plural };
  if (r.group) details.group = r.group;
  if (obj.metadata.uid) details.uid = obj.metadata.uid;
  return { code, body: success(details) };
}

function deleteNamespace(ctx: ServerContext, r: ResourceType, ns: KubeObject, dryRun: boolean): Reply {
  const name = ns.metadata.name!;
  if (UNDELETABLE_NAMESPACES.has(name)) {
    throw new ApiError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
  }
  const key = keyOf(r, undefined, name);
  const marked = structuredClone(ns);
  marked.metadata.deletionTimestamp ??= rfc3339(ctx.now());
  marked.status = { ...(marked.status ?? {}), phase: 'Terminating' };
  if (dryRun) return { code: 200, body: marked };
  const terminating = ctx.store.update(key, marked);
  for (const nr of RESOURCES) {
    if (!nr.namespaced) continue;
    for (const obj of ctx.store.list(prefixFor(nr, name)).items) tryRemove(ctx, keyOf(nr, name, obj.metadata.name!));
  }
  tryRemove(ctx, key);
  return { code: 200, body: terminating };
}

/** Deletes one object with the given policy; returns what is answered. */
function deleteObject(ctx: ServerContext, r: ResourceType, obj: KubeObject, opts: DeleteOptions, dryRun: boolean): Reply {
  checkPreconditions(r, obj, opts);
  if (r.kind === 'Namespace') return deleteNamespace(ctx, r, obj, dryRun);
  const name = obj.metadata.name!;
  const key = keyOf(r, obj.metadata.namespace, name);
  const policy: Policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : 'Background');
  const uid = obj.metadata.uid ?? '';
  try {
    if (r.kind === 'Pod') {
      const plan = planPodDelete(obj, opts.gracePeriodSeconds, ctx.now());
      if (plan.action !== 'remove') {
        if (dryRun) return answer(r, plan.pod);
        if (policy === 'Orphan' && uid) orphanDependents(ctx, uid);
        const cur = plan.action === 'keep' ? obj : ctx.store.update(key, plan.pod, Number(obj.metadata.resourceVersion));
        return answer(r, cur);
      }
    }
    if (dryRun) return answer(r, obj);
    // Finalizers hold the object (marked for deletion) until whoever owns them removes them.
    if (obj.metadata.finalizers?.length) {
      if (policy === 'Orphan' && uid) orphanDependents(ctx, uid);
      if (obj.metadata.deletionTimestamp && !obj.metadata.deletionGracePeriodSeconds) return answer(r, obj, 202);
      const marked = structuredClone(obj);
      marked.metadata.deletionTimestamp = rfc3339(ctx.now());
      marked.metadata.deletionGracePeriodSeconds = 0;
      return answer(r, ctx.store.update(key, marked, Number(obj.metadata.resourceVersion)), 202);
    }
    if (policy === 'Foreground' && uid && ctx.gc.dependentsOf(uid).length > 0) {
      const marked = structuredClone(obj);
      marked.metadata.deletionTimestamp ??= rfc3339(ctx.now());
      marked.metadata.finalizers = [...new Set([...(marked.metadata.finalizers ?? []), 'foregroundDeletion'])];
      const stored = ctx.store.update(key, marked, Number(obj.metadata.resourceVersion));
      removeTree(ctx, key);
      return answer(r, stored);
    }
    if (policy === 'Orphan' && uid) orphanDependents(ctx, uid);
    const gone = removeObject(ctx, key, ctx.store.get(key) ?? obj);
    return answer(r, gone);
  } catch (e) {
    throw apiErrorOf(e, r, name);
  }
}

export function deleteOne(ctx: ServerContext, req: ResourceRequest & { name: string }): Reply {
  const opts = deleteOptions(req);
  const obj = mustGet(ctx, req.r, req.namespace, req.name);
  return deleteObject(ctx, req.r, obj, opts, opts.dryRun);
}

export function deleteCollection(ctx: ServerContext, req: ResourceRequest): Reply {
  const opts = deleteOptions(req);
  const dryRun = opts.dryRun;
  const sel = parseSelector(req.query, req.r);
  const { items, revision } = listMatching(ctx, req.r, req.namespace, sel);
  const deleted: KubeObject[] = [];
  for (const obj of items) {
    try {
      deleteObject(ctx, req.r, obj, opts, dryRun);
      deleted.push(obj);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return { code: 200, body: { kind: req.r.listKind, apiVersion: req.r.group ? `${req.r.group}/${req.r.version}` : req.r.version, metadata: { resourceVersion: String(revision) }, items: deleted } };
}
