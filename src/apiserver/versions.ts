// Versions objects are not stored in (a ResourceType with `convert`): Ingress at
// networking.k8s.io/v1beta1 and extensions/v1beta1, served so old manifests keep working, and
// HorizontalPodAutoscaler at autoscaling/v1, stored as autoscaling/v2. A request to one becomes a request on
// the stored version: bodies are checked against the old version's schema (strict unknown
// fields) and converted in, answers (objects, lists, Table rows, watch events) converted out,
// patches applied to the old form of the stored object. For a deprecated version every answer,
// errors included, carries kube-apiserver's deprecation Warning; errors name the resource as the old group would.
import type { ServerResponse } from 'node:http';
import { groupVersion, storageOf, type ResourceType } from '../api/resources.ts';
import { converterFor, type Converter } from '../api/conversion/index.ts';
import { ApiError, errors } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { applyPatch, PATCH_TYPES, type PatchType } from '../patch/index.ts';
import { checkFields, checkTypeMeta } from './admit.ts';
import { mediaType, parseBody, parseObjectBody } from './body.ts';
import { mustGet, type ResourceRequest, type ServerContext } from './context.ts';
import type { Reply } from './http.ts';
import { update } from './handlers/write.ts';
import type { DispatchOptions } from './dispatch.ts';

type Dispatch = (ctx: ServerContext, req: ResourceRequest, res: ServerResponse, o: DispatchOptions, watchPath: boolean) => Reply | Promise<Reply | void> | undefined;

const APPLY = 'application/apply-patch+yaml';
const JSON_HEADERS = { 'content-type': 'application/json' };

/** Stored-version answers in the old version. */
function convertOut(body: unknown, storage: ResourceType, c: Converter, gv: string): unknown {
  const b = body as { kind?: string; items?: KubeObject[]; rows?: { object?: KubeObject }[] } | undefined;
  if (!b || typeof b !== 'object') return body;
  if (b.kind === storage.kind) return c.out(b as KubeObject);
  if (b.kind === storage.listKind) return { ...b, apiVersion: gv, items: (b.items ?? []).map((i) => c.out(i)) };
  if (b.kind === 'Table') return { ...b, rows: (b.rows ?? []).map((row) => (row.object?.kind === storage.kind ? { ...row, object: c.out(row.object) } : row)) };
  return body;
}

/** `ingresses.networking.k8s.io "x"` → `ingresses.extensions "x"` when the old version is in another group. */
function renamed(e: unknown, ext: ResourceType, storage: ResourceType): unknown {
  if (!(e instanceof ApiError) || ext.group === storage.group) return e;
  const message = e.message.replaceAll(`.${storage.group} "`, `.${ext.group} "`);
  const details = e.details?.group === storage.group ? { ...e.details, group: ext.group } : e.details;
  return new ApiError(e.code, e.reason, message, details);
}

/** A create/update body in the old version: checked against its schema, then converted. */
function bodyIn(req: ResourceRequest, ext: ResourceType, c: Converter): { body: Buffer; warnings: string[] } {
  const obj = parseObjectBody(req.body, req.headers['content-type']);
  checkTypeMeta(obj, ext);
  const warnings = checkFields(obj, ext, req.query);
  return { body: Buffer.from(JSON.stringify(c.in(obj))), warnings };
}

/** PATCH: the stored object in the old form, patched, checked, converted back, and written as an update. */
function patchConverted(ctx: ServerContext, req: ResourceRequest & { name: string }, ext: ResourceType, storage: ResourceType, c: Converter): Reply {
  const type = mediaType(req.headers['content-type']);
  if (!PATCH_TYPES.includes(type as PatchType)) throw errors.unsupportedMediaType(type);
  const old = c.out(mustGet(ctx, storage, req.namespace, req.name));
  const patched = applyPatch(structuredClone(old), parseBody(req.body, 'application/json'), type as PatchType) as Record<string, any>;
  checkTypeMeta(patched, ext);
  if (patched.metadata.name !== req.name) {
    throw errors.badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${req.name})`);
  }
  const warnings = checkFields(patched, ext, req.query);
  const out = update(ctx, { ...req, r: storage, method: 'PUT', body: Buffer.from(JSON.stringify(c.in(patched))), headers: { ...req.headers, ...JSON_HEADERS } });
  return { ...out, warnings: [...warnings, ...(out.warnings ?? [])] };
}

export function dispatchConverted(ctx: ServerContext, req: ResourceRequest, res: ServerResponse, o: DispatchOptions, watchPath: boolean, inner: Dispatch): Reply | Promise<Reply | void> | undefined {
  const ext = req.r;
  const storage = storageOf(ext);
  const gv = groupVersion(ext);
  const c = converterFor(ext);
  const warning = ext.convert!.warning;
  if (warning) res.setHeader('Warning', `299 - ${JSON.stringify(warning)}`);
  try {
    let out: Reply | Promise<Reply | void> | undefined;
    let warnings: string[] = [];
    if (req.method === 'PATCH' && req.name !== undefined && mediaType(req.headers['content-type']) !== APPLY) {
      out = patchConverted(ctx, { ...req, name: req.name }, ext, storage, c);
    } else {
      let sreq: ResourceRequest = { ...req, r: storage };
      if (req.method === 'POST' || req.method === 'PUT') {
        const b = bodyIn(req, ext, c);
        warnings = b.warnings;
        sreq = { ...sreq, body: b.body, headers: { ...req.headers, ...JSON_HEADERS } };
      } else if (req.method === 'PATCH') {
        // server-side apply: the applied configuration converted (JSON is YAML)
        const applied = parseObjectBody(req.body, APPLY);
        checkTypeMeta(applied, ext);
        sreq = { ...sreq, body: Buffer.from(JSON.stringify(c.in(applied))) };
      }
      out = inner(ctx, sreq, res, { ...o, convert: { apiVersion: gv, object: c.out } }, watchPath);
    }
    if (out === undefined || out instanceof Promise) return out;
    return { ...out, body: convertOut(out.body, storage, c, gv), warnings: [...(warning ? [warning] : []), ...warnings, ...(out.warnings ?? [])] };
  } catch (e) {
    throw renamed(e, ext, storage);
  }
}
