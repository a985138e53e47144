// The scale subresource of Deployments and ReplicaSets: GET/PUT/PATCH `.../scale` as an
// autoscaling/v1 Scale {spec.replicas, status.replicas, status.selector (string form)}.
import type { ResourceType } from '../../api/resources.ts';
import { cause, errors } from '../../api/status.ts';
import type { KubeObject } from '../../api/types.ts';
import { applyPatch, PATCH_TYPES, type PatchType } from '../../patch/index.ts';
import { decodeWith } from '../../api/schema/decode.ts';
import { objectMeta } from '../../api/schema/meta.ts';
import { i32, obj, str } from '../../api/schema/types.ts';
import { mediaType, parseObjectBody, parsePatchBody } from '../body.ts';
import { apiErrorOf, isDryRun, keyOf, mustGet, type ResourceRequest, type ServerContext } from '../context.ts';
import type { Reply } from '../http.ts';
import { bumpGeneration } from '../admit.ts';
import { selectorString } from '../../api/labels.ts';

export function scaleOf(obj: KubeObject): KubeObject {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: selectorString(obj.spec?.selector) },
  };
}

const AUTOSCALING = 'io.k8s.api.autoscaling.v1.';
const SCALE = obj(AUTOSCALING + 'Scale', {
  apiVersion: str,
  kind: str,
  metadata: objectMeta,
  spec: obj(AUTOSCALING + 'ScaleSpec', { replicas: i32 }),
  status: obj(AUTOSCALING + 'ScaleStatus', { replicas: i32, selector: str }),
});

function setReplicas(ctx: ServerContext, req: ResourceRequest & { name: string }, r: ResourceType, old: KubeObject, scale: any): Reply {
  const decoded = decodeWith(scale, SCALE);
  if (decoded.typeErrors.length > 0) throw errors.badRequest(`Scale in version "v1" cannot be handled as a Scale: ${decoded.typeErrors[0]}`);
  const rv = scale.metadata?.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) throw errors.conflict(r, req.name);
  const replicas: number = scale.spec?.replicas ?? 0;
  if (replicas < 0) {
    throw errors.invalid({ group: 'autoscaling', plural: 'scales', kind: 'Scale' }, req.name, [cause.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  }
  const next = structuredClone(old);
  next.spec = { ...(next.spec ?? {}), replicas };
  bumpGeneration(next, old, r, undefined);
  if (isDryRun(req.query)) return { code: 200, body: scaleOf(next) };
  try {
    const stored = ctx.store.update(keyOf(r, req.namespace, req.name), next, Number(old.metadata.resourceVersion));
    return { code: 200, body: scaleOf(stored) };
  } catch (e) {
    throw apiErrorOf(e, r, req.name);
  }
}

export function scale(ctx: ServerContext, req: ResourceRequest & { name: string }): Reply {
  const { r } = req;
  const old = mustGet(ctx, r, req.namespace, req.name);
  if (req.method === 'GET') return { code: 200, body: scaleOf(old) };
  if (req.method === 'PUT') return setReplicas(ctx, req, r, old, parseObjectBody(req.body, req.headers['content-type']));
  if (req.method === 'PATCH') {
    const type = mediaType(req.headers['content-type']);
    if (!PATCH_TYPES.includes(type as PatchType)) throw errors.unsupportedMediaType(type);
    const patched = applyPatch(scaleOf(old), parsePatchBody(req.body), type as PatchType);
    return setReplicas(ctx, req, r, old, patched);
  }
  throw errors.methodNotAllowed(`the server does not allow this method on the requested resource`);
}
