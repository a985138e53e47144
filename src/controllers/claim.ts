// Adoption and release, after Kubernetes' ControllerRefManager (ClaimPods): a controller takes
// the orphans its selector matches (a StatefulSet deleted with `--cascade=orphan` and made again
// finds its pods) and lets go of the objects it owns that its selector no longer matches (a pod
// relabelled out of the set). Both are patches of metadata.ownerReferences that carry the object's
// uid and resourceVersion, so a stale cache fails with a Conflict and the next pass retries.
import type { ResourceType } from '../api/resources.ts';
import { isNotFound } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import type { Informer } from '../client/informer.ts';
import { controllerRef, type ControllerContext } from './types.ts';

type OwnerRef = { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean };

/** The objects `owner` controls once orphans matching `match` are adopted and owned ones no
 * longer matching are released. Terminating objects are neither adopted nor released. */
export async function claimObjects(ctx: ControllerContext, inf: Informer, r: ResourceType, ownerType: ResourceType, owner: KubeObject, match: (o: KubeObject) => boolean): Promise<KubeObject[]> {
  const uid = owner.metadata.uid!;
  const out: KubeObject[] = [];
  // canAdopt: the cache may still hold an owner that is being deleted (orphaning its objects),
  // so the owner is read afresh once before the first adoption
  let canAdopt: Promise<boolean> | undefined;
  const fresh = () => (canAdopt ??= ctx.client.get(ownerType, owner.metadata.namespace, owner.metadata.name!).then(
    (o) => o.metadata.uid === uid && !o.metadata.deletionTimestamp,
    (e) => { if (isNotFound(e)) return false; throw e; },
  ));
  for (const o of inf.list(owner.metadata.namespace)) {
    const ref = controllerRef(o);
    const refs = (o.metadata.ownerReferences ?? []) as OwnerRef[];
    if (ref?.uid === uid) {
      if (match(o) || o.metadata.deletionTimestamp) { out.push(o); continue; }
      await patchRefs(ctx, r, o, refs.filter((x) => x.uid !== uid));
      continue;
    }
    if (ref || o.metadata.deletionTimestamp || owner.metadata.deletionTimestamp || !match(o) || !(await fresh())) continue;
    const mine: OwnerRef = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid, controller: true, blockOwnerDeletion: true };
    const adopted = await patchRefs(ctx, r, o, [...refs.filter((x) => x.uid !== uid), mine]);
    if (adopted) out.push(adopted);
  }
  return out;
}

async function patchRefs(ctx: ControllerContext, r: ResourceType, o: KubeObject, refs: OwnerRef[]): Promise<KubeObject | undefined> {
  const body = { metadata: { ownerReferences: refs.length ? refs : null, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion } };
  try {
    return await ctx.client.patch(r, o.metadata.namespace, o.metadata.name!, body, 'merge');
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
