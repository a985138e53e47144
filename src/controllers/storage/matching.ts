// Which PersistentVolume a claim binds to (pv_controller's findBestMatchForClaim): one already
// reserved for it (claimRef with its uid, or its name without a uid, or the claim's volumeName),
// else the smallest Available volume of the same class and volume mode, offering every access
// mode the claim asks for and at least its storage, whose labels match the claim's selector. Pure.
import { compareQuantities, parseQuantity } from '../../api/quantity.ts';
import type { KubeObject } from '../../api/types.ts';
import { selectorMatches } from '../../api/labels.ts';
import { classOf } from '../../api/storage-classes.ts';

export { ANN, classOf, defaultClass, isDefaultClass } from '../../api/storage-classes.ts';

function storageOf(q: unknown) {
  try { return parseQuantity(String(q ?? '0')); } catch { return parseQuantity('0'); }
}

/** Is this volume reserved for this claim (claimRef by uid, or by name without a uid)? */
export function reservedFor(pv: KubeObject, claim: KubeObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.namespace !== claim.metadata.namespace || ref.name !== claim.metadata.name) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** Would this volume satisfy the claim (class, mode, access modes, size, selector)? */
export function satisfies(pv: KubeObject, claim: KubeObject): boolean {
  if (classOf(pv) !== classOf(claim)) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes: string[] = pv.spec?.accessModes ?? [];
  if (!((claim.spec?.accessModes ?? []) as string[]).every((m) => modes.includes(m))) return false;
  if (compareQuantities(storageOf(pv.spec?.capacity?.storage), storageOf(claim.spec?.resources?.requests?.storage)) < 0) return false;
  if (claim.spec?.selector && !selectorMatches(claim.spec.selector, pv.metadata.labels ?? {})) return false;
  return true;
}

/** The volume this claim should bind to, if any. */
export function findVolumeFor(claim: KubeObject, volumes: KubeObject[]): KubeObject | undefined {
  const named: string | undefined = claim.spec?.volumeName;
  if (named) return volumes.find((v) => v.metadata.name === named);
  const reserved = volumes.find((v) => reservedFor(v, claim) && !v.metadata.deletionTimestamp);
  if (reserved) return reserved;
  const free = volumes.filter((v) => !v.spec?.claimRef && !v.metadata.deletionTimestamp && (v.status?.phase ?? 'Available') === 'Available' && satisfies(v, claim));
  free.sort((a, b) => compareQuantities(storageOf(a.spec?.capacity?.storage), storageOf(b.spec?.capacity?.storage)) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
  return free[0];
}

/** The claims a pod's volumes name. */
export function claimNames(pod: KubeObject): string[] {
  return ((pod.spec?.volumes ?? []) as any[]).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);
}

/** Does a core/v1 NodeSelector (terms ORed, requirements ANDed) select this node? */
export function nodeSelectorMatches(selector: unknown, node: KubeObject): boolean {
  const terms = ((selector as { nodeSelectorTerms?: unknown[] } | undefined)?.nodeSelectorTerms ?? []) as Array<{ matchExpressions?: any[]; matchFields?: any[] }>;
  if (terms.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  const holds = (r: any, value: string | undefined): boolean => {
    const values: string[] = r.values ?? [];
    switch (r.operator) {
      case 'In': return value !== undefined && values.includes(value);
      case 'NotIn': return value === undefined || !values.includes(value);
      case 'Exists': return value !== undefined;
      case 'DoesNotExist': return value === undefined;
      case 'Gt': return value !== undefined && Number(value) > Number(values[0]);
      case 'Lt': return value !== undefined && Number(value) < Number(values[0]);
      default: return false;
    }
  };
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (exprs.length + fields.length === 0) return false;
    return exprs.every((r) => holds(r, labels[r.key])) && fields.every((r) => holds(r, r.key === 'metadata.name' ? node.metadata.name : undefined));
  });
}
