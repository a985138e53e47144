// POST (create), PUT (update) and PATCH of objects and their /status, through the write
// pipeline in admit.ts, then Service allocation, then the store write (released again if the
// write fails or the request is a dry run). Answers 201 on create, 200 on update and patch.
import { errors } from '../../api/status.ts';
import type { KubeObject } from '../../api/types.ts';
import { applyPatch, PATCH_TYPES, strategicMergePatch, type PatchType } from '../../patch/index.ts';
import { parseObjectBody, parsePatchBody, mediaType } from '../body.ts';
import { apiErrorOf, isDryRun, keyOf, mustGet, requireNamespace, type ResourceRequest, type ServerContext } from '../context.ts';
import type { Reply } from '../http.ts';
import { removeObject } from './delete.ts';
import { admitCreate } from '../admission.ts';
import { bumpGeneration, checkFields, checkTypeMeta, defaultAndValidate, prepareCreate, prepareUpdate } from '../admit.ts';

const HOLDS_IPS = (obj: KubeObject) => obj.kind === 'Service';

export function create(ctx: ServerContext, req: ResourceRequest): Reply {
  const { r } = req;
  const obj = parseObjectBody(req.body, req.headers['content-type']);
  checkTypeMeta(obj, r);
  if (r.namespaced) {
    const ns = req.namespace!;
    if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = ns;
  } else delete obj.metadata.namespace;
  const warnings = checkFields(obj, r, req.query);
  if (!obj.metadata.name && !obj.metadata.generateName) {
    throw errors.invalid(r, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
  }
  if (r.namespaced) requireNamespace(ctx, obj.metadata.namespace!);
  prepareCreate(obj, r, ctx.now());
  admitCreate(ctx, obj);
  defaultAndValidate(obj, r);
  const name = obj.metadata.name!;
  const key = keyOf(r, obj.metadata.namespace, name);
  if (ctx.store.get(key)) throw errors.alreadyExists(r, name);
  const dryRun = isDryRun(req.query);
  if (HOLDS_IPS(obj)) ctx.allocator.assign(obj);
  if (dryRun) {
    if (HOLDS_IPS(obj)) ctx.allocator.release(obj);
    return { code: 201, body: obj, warnings };
  }
  try {
    return { code: 201, body: ctx.store.create(key, obj), warnings };
  } catch (e) {
    if (HOLDS_IPS(obj)) ctx.allocator.release(obj);
    throw apiErrorOf(e, r, name);
  }
}

/** The common tail of PUT and PATCH: server-kept fields, defaults, validation, allocation, write. */
function finishUpdate(ctx: ServerContext, req: ResourceRequest & { name: string }, obj: KubeObject, old: KubeObject, warnings: string[]): Reply {
  const { r, sub } = req;
  const rv = obj.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) throw errors.conflict(r, req.name);
  const next = prepareUpdate(obj, old, r, sub);
  defaultAndValidate(next, r, old);
  bumpGeneration(next, old, r, sub);
  const dryRun = isDryRun(req.query);
  const key = keyOf(r, req.namespace, req.name);
  if (HOLDS_IPS(next)) ctx.allocator.assign(next, old);
  if (dryRun) {
    if (HOLDS_IPS(next)) ctx.allocator.release(next);
    return { code: 200, body: next, warnings };
  }
  try {
    // An object being deleted goes once its last finalizer is removed (Kubernetes' graceful
    // finalization) — unless it still has a grace period to run (a terminating pod).
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && !(Number(old.metadata.deletionGracePeriodSeconds) > 0)) {
      const stored = ctx.store.update(key, next, Number(old.metadata.resourceVersion));
      return { code: 200, body: removeObject(ctx, key, stored), warnings };
    }
    return { code: 200, body: ctx.store.update(key, next, Number(old.metadata.resourceVersion)), warnings };
  } catch (e) {
    if (HOLDS_IPS(next)) ctx.allocator.release(next);
    throw apiErrorOf(e, r, req.name);
  }
}

/** kube-apiserver's checkName: the object's name (empty when it has none) must be the URL's. */
function checkName(name: unknown, urlName: string): void {
  if (name !== urlName) throw errors.badRequest(`the name of the object (${typeof name === 'string' ? name : ''}) does not match the name on the URL (${urlName})`);
}

export function update(ctx: ServerContext, req: ResourceRequest & { name: string }): Reply {
  const { r } = req;
  const obj = parseObjectBody(req.body, req.headers['content-type']);
  checkTypeMeta(obj, r);
  const warnings = checkFields(obj, r, req.query);
  if (obj.metadata.name !== undefined) checkName(obj.metadata.name, req.name);
  obj.metadata.name = req.name;
  if (r.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== req.namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = req.namespace;
  }
  const old = mustGet(ctx, r, req.namespace, req.name);
  return finishUpdate(ctx, req, obj, old, warnings);
}

const APPLY = 'application/apply-patch+yaml';

/**
 * Server-side apply, approximated without managed fields: the applied configuration creates the
 * object when it is missing, else is merged into it as a strategic merge patch (fields the
 * configuration no longer names are kept, where Kubernetes would remove those it owned).
 */
function serverSideApply(ctx: ServerContext, req: ResourceRequest & { name: string }): Reply {
  const { r } = req;
  if (!req.query.get('fieldManager')) throw errors.badRequest('PATCH request with apply content type requires fieldManager');
  const applied = parseObjectBody(req.body, APPLY);
  checkTypeMeta(applied, r);
  // checked (and normalized: unknown fields gone) before it is merged or created from
  const warnings = checkFields(applied, r, req.query);
  if (applied.metadata.name !== undefined) checkName(applied.metadata.name, req.name);
  const old = ctx.store.get(keyOf(r, req.namespace, req.name));
  if (!old) {
    const obj = { ...applied, metadata: { ...applied.metadata, name: req.name } };
    const created = create(ctx, { ...req, method: 'POST', body: Buffer.from(JSON.stringify(obj)), headers: { ...req.headers, 'content-type': 'application/json' } });
    return { ...created, warnings };
  }
  const merged = strategicMergePatch(structuredClone(old), applied) as KubeObject;
  merged.metadata.resourceVersion = old.metadata.resourceVersion;
  return finishUpdate(ctx, req, merged, old, warnings);
}

export function patch(ctx: ServerContext, req: ResourceRequest & { name: string }): Reply {
  const { r } = req;
  const type = mediaType(req.headers['content-type']);
  if (type === APPLY) return serverSideApply(ctx, req);
  if (!PATCH_TYPES.includes(type as PatchType)) throw errors.unsupportedMediaType(type);
  const body = parsePatchBody(req.body);
  const old = mustGet(ctx, r, req.namespace, req.name);
  const patched = applyPatch(structuredClone(old), body, type as PatchType) as Record<string, any>;
  // decoded first: a patch may leave anything (a number, metadata of the wrong type)
  const warnings = checkFields(patched as KubeObject, r, req.query);
  checkTypeMeta(patched, r);
  checkName(patched.metadata.name, req.name);
  return finishUpdate(ctx, req, patched, old, warnings);
}
