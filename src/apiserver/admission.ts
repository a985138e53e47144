// Mutating admission on create, as kube-apiserver's enabled-by-default plugins do it:
// ServiceAccount — a pod's account, its token volume and mounts (admission-serviceaccount.ts);
// DefaultIngressClass — an Ingress created with neither spec.ingressClassName nor the
// kubernetes.io/ingress.class annotation gets the default IngressClass (the one annotated
// ingressclass.kubernetes.io/is-default-class: "true"; the newest when several are, then by name).
// DefaultStorageClass — a PersistentVolumeClaim created without spec.storageClassName (nor the
// beta class annotation) gets the default StorageClass, chosen the same way.
// StorageObjectInUseProtection — claims get the kubernetes.io/pvc-protection finalizer and
// volumes kubernetes.io/pv-protection (the protection controllers take them off).
// A Job gets its generated selector and pod labels (the Job strategy's PrepareForCreate).
import { R } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { defaultClass } from '../api/storage-classes.ts';
import { prefixFor } from '../store/index.ts';
import type { ServerContext } from './context.ts';
import { admitServiceAccount } from './admission-serviceaccount.ts';
import { generateJobSelector } from '../api/batch.ts';

const INGRESS_CLASSES = R.ingressclasses;
const STORAGE_CLASSES = R.storageclasses;
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** The default IngressClass, if any. */
export function defaultIngressClass(ctx: ServerContext): KubeObject | undefined {
  const defaults = ctx.store.list(prefixFor(INGRESS_CLASSES)).items.filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    return ta !== tb ? tb - ta : (a.metadata.name! < b.metadata.name! ? -1 : 1);
  });
  return defaults[0];
}

/** Runs the create-time mutating admission for an object about to be stored. */
export function admitCreate(ctx: ServerContext, obj: KubeObject): void {
  if (obj.kind === 'Pod' && obj.apiVersion === 'v1') return admitServiceAccount(ctx, obj);
  if (obj.kind === 'Job' && obj.apiVersion === 'batch/v1') return generateJobSelector(obj);
  if (obj.kind === 'PersistentVolumeClaim') {
    protect(obj, 'kubernetes.io/pvc-protection');
    return defaultStorageClass(ctx, obj);
  }
  if (obj.kind === 'PersistentVolume') return protect(obj, 'kubernetes.io/pv-protection');
  if (obj.kind !== 'Ingress' || obj.apiVersion !== 'networking.k8s.io/v1') return;
  if (obj.spec?.ingressClassName != null) return;
  if (obj.metadata.annotations?.['kubernetes.io/ingress.class'] !== undefined) return;
  const ic = defaultIngressClass(ctx);
  if (ic) obj.spec = { ingressClassName: ic.metadata.name, ...(obj.spec ?? {}) };
}

function defaultStorageClass(ctx: ServerContext, claim: KubeObject): void {
  if (claim.spec?.storageClassName != null) return;
  if (claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return;
  const sc = defaultClass(ctx.store.list(prefixFor(STORAGE_CLASSES)).items);
  if (sc) claim.spec = { ...(claim.spec ?? {}), storageClassName: sc.metadata.name };
}

function protect(obj: KubeObject, finalizer: string): void {
  const f = obj.metadata.finalizers ?? [];
  if (!f.includes(finalizer)) obj.metadata.finalizers = [...f, finalizer];
}
