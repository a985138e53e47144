// GET of one object and of lists (one namespace or all), in the form the Accept header asks:
// the object/List itself, a server-side Table (meta.k8s.io), or PartialObjectMetadata[List].
import { groupVersion, type ResourceType } from '../../api/resources.ts';
import { errors } from '../../api/status.ts';
import type { KubeObject } from '../../api/types.ts';
import { toTable } from '../../printers/index.ts';
import { prefixFor } from '../../store/index.ts';
import type { Reply } from '../http.ts';
import { answerForm, type AnswerForm } from '../negotiate.ts';
import { matches, parseSelector, type Selector } from '../selectors.ts';
import { mustGet, type ResourceRequest, type ServerContext } from '../context.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw errors.badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
  return v;
}

export const partial = (o: KubeObject) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata });

/** One object in the asked form. */
export function renderOne(form: AnswerForm, r: ResourceType, obj: KubeObject, q: URLSearchParams, now: Date): unknown {
  if (form === 'Table') {
    const t = toTable(r, [obj], { includeObject: includeObjectOf(q), now });
    t.metadata = { resourceVersion: obj.metadata.resourceVersion };
    return t;
  }
  if (form === 'PartialObjectMetadata' || form === 'PartialObjectMetadataList') return partial(obj);
  return obj;
}

export function renderList(form: AnswerForm, r: ResourceType, items: KubeObject[], revision: number, q: URLSearchParams, now: Date): unknown {
  const metadata = { resourceVersion: String(revision) };
  if (form === 'Table') {
    const t = toTable(r, items, { includeObject: includeObjectOf(q), now });
    t.metadata = metadata;
    return t;
  }
  if (form === 'PartialObjectMetadata' || form === 'PartialObjectMetadataList') {
    return { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: items.map(partial) };
  }
  return { kind: r.listKind, apiVersion: groupVersion(r), metadata, items };
}

export function getOne(ctx: ServerContext, req: ResourceRequest & { name: string }): Reply {
  const form = answerForm(req.headers.accept);
  const obj = mustGet(ctx, req.r, req.namespace, req.name);
  return { code: 200, body: renderOne(form, req.r, obj, req.query, ctx.now()) };
}

export function listMatching(ctx: ServerContext, r: ResourceType, namespace: string | undefined, sel: Selector): { items: KubeObject[]; revision: number } {
  const { items, revision } = ctx.store.list(prefixFor(r, namespace));
  return { items: items.filter((o) => matches(sel, o)), revision };
}

export function list(ctx: ServerContext, req: ResourceRequest): Reply {
  const form = answerForm(req.headers.accept);
  const sel = parseSelector(req.query, req.r);
  const { items, revision } = listMatching(ctx, req.r, req.namespace, sel);
  return { code: 200, body: renderList(form, req.r, items, revision, req.query, ctx.now()) };
}
