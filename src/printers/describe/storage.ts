// describe for PersistentVolume, PersistentVolumeClaim (with the pods that use it, `Used By`) and
// StorageClass (kubectl describe.go's describePersistentVolume, describePersistentVolumeClaim,
// describeStorageClass).

import { canonicalQuantity } from '../../api/quantity.ts';
import { classOf, isDefaultClass } from '../../api/storage-classes.ts';
import type { KubeObject } from '../../api/types.ts';
import { ageSince } from '../age.ts';
import { accessModesString } from '../kinds/storage.ts';
import type { DescribeContext } from './index.ts';
import { DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './writer.ts';

type Obj = Record<string, any>;

/** Go's %v of a []string: `[a b]`. */
const goList = (xs: unknown): string => `[${((xs as string[] | undefined) ?? []).join(' ')}]`;

/** labels.FormatLabels: `k=v,k2=v2` sorted, `<none>` when empty. */
const formatLabels = (m: Obj | undefined): string => {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
};

function status(w: DescribeWriter, obj: KubeObject, now: Date): void {
  if (obj.metadata.deletionTimestamp) w.write(0, `Status:\tTerminating (lasts ${ageSince(obj.metadata.deletionTimestamp, now)})\n`);
  else w.write(0, `Status:\t${obj.status?.phase ?? ''}\n`);
}

function nodeAffinity(w: DescribeWriter, affinity: Obj | undefined): void {
  w.write(0, 'Node Affinity:\t');
  if (!affinity) { w.write(0, '<none>\n'); return; }
  w.write(0, '\n');
  const terms: Obj[] = affinity.required?.nodeSelectorTerms;
  if (!affinity.required) return;
  w.write(1, 'Required Terms:\t');
  if (!terms?.length) { w.write(0, '<none>\n'); return; }
  w.write(0, '\n');
  terms.forEach((t, i) => {
    const reqs: Obj[] = t.matchExpressions ?? [];
    w.write(2, `Term ${i}:\t`);
    if (!reqs.length) { w.write(0, '<none>\n'); return; }
    reqs.forEach((r, j) => {
      if (j) w.write(2, '\t');
      const values: string[] = r.values ?? [];
      w.write(0, `${r.key} ${String(r.operator).toLowerCase()}${values.length ? ` [${values.join(', ')}]` : ''}\n`);
    });
  });
}

function source(w: DescribeWriter, spec: Obj): void {
  w.write(0, 'Source:\n');
  if (spec.hostPath) {
    w.write(2, 'Type:\tHostPath (bare host directory volume)\n');
    w.write(2, `Path:\t${spec.hostPath.path}\n`);
    w.write(2, `HostPathType:\t${spec.hostPath.type ?? '<none>'}\n`);
  } else if (spec.local) {
    w.write(2, 'Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n');
    w.write(2, `Path:\t${spec.local.path}\n`);
  } else {
    w.write(1, '<unknown>\n');
  }
}

export function describePersistentVolume(pv: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec: Obj = pv.spec ?? {};
  w.write(0, `Name:\t${pv.metadata.name}\n`);
  writeLabels(w, 'Labels', pv.metadata.labels);
  writeAnnotations(w, 'Annotations', pv.metadata.annotations);
  w.write(0, `Finalizers:\t${goList(pv.metadata.finalizers)}\n`);
  w.write(0, `StorageClass:\t${classOf(pv)}\n`);
  status(w, pv, now);
  w.write(0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : ''}\n`);
  w.write(0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ''}\n`);
  w.write(0, `Access Modes:\t${accessModesString(spec.accessModes)}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  w.write(0, `Capacity:\t${canonicalQuantity(spec.capacity?.storage) || '0'}\n`);
  nodeAffinity(w, spec.nodeAffinity);
  w.write(0, `Message:\t${pv.status?.message ?? ''}\n`);
  source(w, spec);
  writeEvents(w, ctx.events, now);
  return w.toString();
}

export function describePersistentVolumeClaim(pvc: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec: Obj = pvc.spec ?? {};
  w.write(0, `Name:\t${pvc.metadata.name}\n`);
  w.write(0, `Namespace:\t${pvc.metadata.namespace}\n`);
  w.write(0, `StorageClass:\t${classOf(pvc)}\n`);
  status(w, pvc, now);
  w.write(0, `Volume:\t${spec.volumeName ?? ''}\n`);
  writeLabels(w, 'Labels', pvc.metadata.labels);
  writeAnnotations(w, 'Annotations', pvc.metadata.annotations);
  w.write(0, `Finalizers:\t${goList(pvc.metadata.finalizers)}\n`);
  const bound = Boolean(spec.volumeName);
  w.write(0, `Capacity:\t${bound ? canonicalQuantity(pvc.status?.capacity?.storage) || '0' : ''}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModesString(pvc.status?.accessModes) : ''}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  if (spec.dataSource) {
    w.write(0, 'DataSource:\n');
    if (spec.dataSource.apiGroup) w.write(1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
    w.write(1, `Kind:\t${spec.dataSource.kind}\n`);
    w.write(1, `Name:\t${spec.dataSource.name}\n`);
  }
  const users = (ctx.pods ?? [])
    .filter((p) => ((p.spec?.volumes ?? []) as Obj[]).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name))
    .map((p) => p.metadata.name!).sort();
  w.write(0, 'Used By:\t');
  if (!users.length) w.write(0, '<none>\n');
  users.forEach((n, i) => { if (i) w.write(0, '\t'); w.write(0, `${n}\n`); });
  const conds: Obj[] = pvc.status?.conditions ?? [];
  if (conds.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
  }
  writeEvents(w, ctx.events, now);
  return w.toString();
}

export function describeStorageClass(sc: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${sc.metadata.name}\n`);
  w.write(0, `IsDefaultClass:\t${isDefaultClass(sc) ? 'Yes' : 'No'}\n`);
  w.write(0, `Annotations:\t${formatLabels(sc.metadata.annotations)}\n`);
  w.write(0, `Provisioner:\t${sc.provisioner ?? ''}\n`);
  w.write(0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
  w.write(0, `AllowVolumeExpansion:\t${sc.allowVolumeExpansion === undefined ? '<unset>' : sc.allowVolumeExpansion ? 'True' : 'False'}\n`);
  const opts: string[] = sc.mountOptions ?? [];
  if (!opts.length) w.write(0, 'MountOptions:\t<none>\n');
  else {
    w.write(0, 'MountOptions:\n');
    for (const o of opts) w.write(1, `${o}\n`);
  }
  if (sc.reclaimPolicy) w.write(0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
  if (sc.volumeBindingMode) w.write(0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
  writeEvents(w, ctx.events, now);
  return w.toString();
}
