// The DeleteOptions of a DELETE: from the body (kubectl sends `{"kind":"DeleteOptions",…}`,
// `--dry-run=server` as `"dryRun":["All"]`) and the query, decoded against meta/v1's schema so
// a wrong type is a 400 naming the field, then checked as ValidateDeleteOptions does.
import { errors } from '../../api/status.ts';
import { decodeWith } from '../../api/schema/decode.ts';
import { bool, i64, obj, str, strings } from '../../api/schema/types.ts';
import { parseBody } from '../body.ts';
import type { ResourceRequest } from '../context.ts';

export type Policy = 'Background' | 'Foreground' | 'Orphan';
export interface DeleteOptions {
  propagationPolicy?: Policy;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  dryRun: boolean;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const schema = obj(META + 'DeleteOptions', {
  kind: str,
  apiVersion: str,
  gracePeriodSeconds: i64,
  preconditions: obj(META + 'Preconditions', { uid: str, resourceVersion: str }),
  orphanDependents: bool,
  propagationPolicy: str,
  dryRun: strings,
  ignoreStoreReadErrorWithClusterBreakingPotential: bool,
});

const POLICIES = ['Foreground', 'Background', 'Orphan'];

function fromBody(req: ResourceRequest): Record<string, any> {
  const v = parseBody(req.body, req.headers['content-type']);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw errors.badRequest(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v} into Go value of type v1.DeleteOptions`);
  }
  const result = decodeWith(v, schema);
  if (result.typeErrors.length > 0) throw errors.badRequest(result.typeErrors[0]);
  return v as Record<string, any>;
}

function fromQuery(q: URLSearchParams): Record<string, any> {
  const out: Record<string, any> = {};
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null) {
    if (!/^-?\d+$/.test(grace)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(grace)}: invalid syntax`);
    out.gracePeriodSeconds = Number(grace);
  }
  const policy = q.get('propagationPolicy');
  if (policy !== null) out.propagationPolicy = policy;
  const orphan = q.get('orphanDependents');
  if (orphan !== null) out.orphanDependents = orphan === 'true' || orphan === '1';
  const dry = q.getAll('dryRun');
  if (dry.length > 0) out.dryRun = dry;
  return out;
}

/** The options of a DELETE: the body's, with what the query sets on top (dryRun from either). */
export function deleteOptions(req: ResourceRequest): DeleteOptions {
  const hasBody = req.body !== undefined && req.body.length > 0 && req.body.toString().trim() !== '';
  const body = hasBody ? fromBody(req) : {};
  const raw = { ...body, ...fromQuery(req.query) };
  const dryRun: unknown[] = [...(Array.isArray(body.dryRun) ? body.dryRun : []), ...req.query.getAll('dryRun')];
  for (const d of dryRun) if (d !== 'All') throw errors.badRequest(`Invalid dry run value: ${d}; valid values are "All"`);
  const policy = raw.propagationPolicy ?? undefined;
  if (policy !== undefined && !POLICIES.includes(policy)) {
    throw errors.badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (policy !== undefined && typeof raw.orphanDependents === 'boolean') {
    throw errors.badRequest('propagationPolicy: Invalid value: "' + policy + '": orphanDependents and deletionPropagation cannot be both set');
  }
  const grace = raw.gracePeriodSeconds ?? undefined;
  const out: DeleteOptions = { dryRun: dryRun.length > 0 };
  if (policy !== undefined) out.propagationPolicy = policy;
  if (typeof raw.orphanDependents === 'boolean') out.orphanDependents = raw.orphanDependents;
  if (grace !== undefined) out.gracePeriodSeconds = grace;
  if (raw.preconditions) out.preconditions = { uid: raw.preconditions.uid ?? undefined, resourceVersion: raw.preconditions.resourceVersion ?? undefined };
  return out;
}
