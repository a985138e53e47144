// `mk apply -f` and `mk create -f`: every document is first sent with dryRun=All (strict field
// validation); one failure stops everything before a write. Then the writes, printing kubectl's
// `service/kubia created|configured|unchanged`. apply keeps kubectl's last-applied annotation
// and sends D's three-way strategic merge patch.
import { ApiError, isNotFound, isApiError } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { qualifiedSingular } from '../api/resources.ts';
import type { KubeClient } from '../client/index.ts';
import { threeWayStrategicPatch } from '../patch/index.ts';
import { UserError } from '../lib/errors.ts';
import { apiErrorMessage, SilentExit } from './errors.ts';
import type { Output } from '../lib/output.ts';
import type { ManifestDoc } from './manifests.ts';
import { defaultNamespaces, describeDoc, loadManifests } from './manifests.ts';
import { sortKeys } from './format.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Mode = 'apply' | 'create';
type Plan = { kind: 'create'; body: KubeObject } | { kind: 'patch'; patch: unknown; missingAnnotation?: boolean } | { kind: 'unchanged' };

/** The object with kubectl's last-applied annotation: sorted-key JSON of the manifest + "\n". */
export function withLastApplied(obj: KubeObject): KubeObject {
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const bare = { ...obj, metadata: { ...obj.metadata, annotations } };
  const text = `${JSON.stringify(sortKeys(bare))}\n`;
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...annotations, [LAST_APPLIED]: text } } };
}

function isEmptyPatch(p: unknown): boolean {
  return p === null || p === undefined || (typeof p === 'object' && Object.keys(p as object).length === 0);
}

async function plan(client: KubeClient, d: ManifestDoc, mode: Mode): Promise<Plan> {
  if (mode === 'create') return { kind: 'create', body: d.obj };
  const modified = withLastApplied(d.obj);
  const name = d.obj.metadata.name;
  if (!name) return { kind: 'create', body: modified };
  let current: KubeObject;
  try {
    current = await client.get(d.r, d.obj.metadata.namespace, name);
  } catch (e) {
    if (isNotFound(e)) return { kind: 'create', body: modified };
    throw e;
  }
  const lastText = current.metadata.annotations?.[LAST_APPLIED];
  const last = lastText ? JSON.parse(lastText) : null;
  const patch = threeWayStrategicPatch(last, modified, current, d.obj.kind);
  return isEmptyPatch(patch) ? { kind: 'unchanged' } : { kind: 'patch', patch, missingAnnotation: !lastText };
}

/** Sends the plan; returns the verb and the object's name (the server's, for generateName). */
async function send(client: KubeClient, d: ManifestDoc, p: Plan, dryRun: boolean): Promise<[string, string]> {
  const ns = d.obj.metadata.namespace;
  if (p.kind === 'create') {
    const out = await client.create(d.r, ns, p.body, { dryRun });
    return ['created', out.metadata?.name ?? d.obj.metadata.name ?? ''];
  }
  if (p.kind === 'patch') {
    await client.patch(d.r, ns, d.obj.metadata.name!, p.patch, 'strategic', { dryRun });
    return ['configured', d.obj.metadata.name!];
  }
  return ['unchanged', d.obj.metadata.name!];
}

/** kubectl's warning when apply takes over an object made without it. */
export function missingAnnotationWarning(d: ManifestDoc): string {
  const res = d.r.group ? `${d.r.plural}.${d.r.group}` : d.r.plural;
  return `Warning: resource ${res}/${d.obj.metadata.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`;
}

/** A Namespace created earlier in the same set makes NotFound on it expected in the dry run. */
function namespaceComesFirst(e: unknown, docs: ManifestDoc[], upTo: number): boolean {
  if (!isApiError(e) || !isNotFound(e) || e.details?.kind !== 'namespaces') return false;
  return docs.slice(0, upTo).some((d) => d.obj.kind === 'Namespace' && d.obj.metadata.name === e.details?.name);
}

/** `-f` files, folders or stdin → every document, namespaced from `-n` or the context, then applied or created. */
export async function applyFiles(client: KubeClient, o: { filename: string[]; recursive: boolean; namespace?: string }, mode: Mode, io: Output): Promise<void> {
  const docs = loadManifests(o.filename, { recursive: o.recursive });
  defaultNamespaces(docs, client.ns(o.namespace), o.namespace !== undefined);
  await applyManifests(client, docs, mode, io);
}

export async function applyManifests(client: KubeClient, docs: ManifestDoc[], mode: Mode, io: Output): Promise<void> {
  if (docs.length === 0) throw new UserError(`error: no objects passed to ${mode}`);
  const plans: Plan[] = [];
  for (const [i, d] of docs.entries()) {
    try {
      const p = await plan(client, d, mode);
      plans.push(p);
      await send(client, d, p, true);
    } catch (e) {
      if (namespaceComesFirst(e, docs, i)) continue;
      if (e instanceof ApiError) throw new UserError(`error: ${describeDoc(d)}: ${apiErrorMessage(e).replace(/^Error from server \(\w+\): /, '')}`, 'nothing was changed', { cause: e });
      throw e;
    }
  }
  let failed = false;
  for (const [i, d] of docs.entries()) {
    try {
      const p = plans[i]!;
      if (p.kind === 'patch' && p.missingAnnotation) io.err(missingAnnotationWarning(d));
      const [verb, name] = await send(client, d, p, false);
      io.out(`${qualifiedSingular(d.r)}/${name} ${verb}\n`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      failed = true;
      const how = mode === 'create' ? 'creating' : 'applying';
      io.err(`${apiErrorMessage(new ApiError(e.code, e.reason, `error when ${how} "${d.source}": ${e.message}`, e.details))}\n`);
    }
  }
  if (failed) throw new SilentExit(1);
}
