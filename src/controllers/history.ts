// ControllerRevisions: the history of a StatefulSet's or DaemonSet's pod template, after
// Kubernetes' pkg/controller/history. A revision's data is the patch that restores the template
// (`{"spec":{"template":{…,"$patch":"replace"}}}`, what `kubectl rollout undo` applies); it is
// named `<owner>-<hash of the data and the collision count>`, owned by its set (controller), and
// numbered: the template in force is the highest number. Returning to an earlier template
// renumbers that revision instead of making a new one, as upstream. Old revisions no pod uses
// are dropped past spec.revisionHistoryLimit.
import type { KubeObject } from '../api/types.ts';
import { R } from '../api/resources.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import { canonicalJson, computeHash } from './hash.ts';
import type { ControllerContext } from './types.ts';

/** The label on a revision (its hash) and on the pods made from it. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** The patch that restores `template`, as kubectl's rollback reads it. */
export function revisionData(template: unknown): Record<string, unknown> {
  return { spec: { template: { ...(structuredClone(template) as object), $patch: 'replace' } } };
}

export function sameData(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Oldest first: by revision number, then creation, then name (SortControllerRevisions). */
export function byRevision(a: KubeObject, b: KubeObject): number {
  if ((a.revision ?? 0) !== (b.revision ?? 0)) return (a.revision ?? 0) - (b.revision ?? 0);
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

function draft(owner: KubeObject, data: Record<string, unknown>, revision: number, collisionCount: number): KubeObject {
  const hash = computeHash(data, collisionCount);
  const labels = { ...(owner.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${owner.metadata.name!.slice(0, 223)}-${hash}`,
      namespace: owner.metadata.namespace,
      labels,
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    data,
    revision,
  };
}

export interface Revisions {
  /** the revision the set's current template is (made or renumbered when needed) */
  update: KubeObject;
  /** the revision status.currentRevision names (the update revision when there is none) */
  current: KubeObject;
  /** every revision of the set, oldest first, the update one included */
  all: KubeObject[];
  collisionCount: number;
}

/** getStatefulSetRevisions / constructHistory: the update revision for `owner`'s template, made if missing. */
export async function syncRevisions(ctx: ControllerContext, owner: KubeObject, revisions: KubeObject[], currentName: string | undefined): Promise<Revisions> {
  const all = [...revisions].sort(byRevision);
  let collisionCount: number = owner.status?.collisionCount ?? 0;
  const data = revisionData(owner.spec?.template);
  const next = (all.at(-1)?.revision ?? 0) + 1;
  const equal = all.filter((r) => sameData(r.data, data));
  let update: KubeObject;
  if (equal.length > 0 && equal.at(-1) === all.at(-1)) {
    update = all.at(-1)!;
  } else if (equal.length > 0) {
    // back to an earlier template: that revision becomes the newest
    const old = equal.at(-1)!;
    update = await ctx.client.update(R.controllerrevisions, old.metadata.namespace, old.metadata.name!, { ...old, revision: next });
    all.splice(all.indexOf(old), 1, update);
    all.sort(byRevision);
  } else {
    for (;;) {
      const want = draft(owner, data, next, collisionCount);
      try {
        update = await ctx.client.create(R.controllerrevisions, owner.metadata.namespace, want);
        break;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        const clash = await ctx.client.get(R.controllerrevisions, owner.metadata.namespace, want.metadata.name!);
        if (sameData(clash.data, data) && clash.metadata.ownerReferences?.some((o) => o.uid === owner.metadata.uid)) {
          update = clash;
          break;
        }
        collisionCount++; // a hash collision with another revision: hash again
      }
    }
    all.push(update);
  }
  const current = all.find((r) => r.metadata.name === currentName) ?? update;
  return { update, current, all, collisionCount };
}

/** truncateHistory: drops the oldest revisions no pod uses, keeping `limit` of them besides the live ones. */
export async function truncateHistory(ctx: ControllerContext, all: KubeObject[], live: Set<string>, limit: number): Promise<void> {
  const idle = all.filter((r) => !live.has(r.metadata.name!)).sort(byRevision);
  for (const r of idle.slice(0, Math.max(0, idle.length - limit))) {
    try {
      await ctx.client.delete(R.controllerrevisions, r.metadata.namespace, r.metadata.name!);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
