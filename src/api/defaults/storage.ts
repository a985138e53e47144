// Kubernetes' defaulting of PersistentVolume, PersistentVolumeClaim (core/v1 defaults.go) and
// StorageClass (storage/v1 defaults.go).
import type { KubeObject } from '../types.ts';

type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultPersistentVolume(obj: KubeObject): void {
  if (!isObj(obj.spec)) obj.spec = {};
  obj.spec.persistentVolumeReclaimPolicy ??= 'Retain';
  obj.spec.volumeMode ??= 'Filesystem';
  if (isObj(obj.spec.hostPath)) obj.spec.hostPath.type ??= '';
  if (!isObj(obj.status)) obj.status = {};
  obj.status.phase ||= 'Pending';
}

export function defaultPersistentVolumeClaim(obj: KubeObject): void {
  if (!isObj(obj.spec)) obj.spec = {};
  obj.spec.volumeMode ??= 'Filesystem';
  if (!isObj(obj.status)) obj.status = {};
  obj.status.phase ||= 'Pending';
}

export function defaultStorageClass(obj: KubeObject): void {
  obj.reclaimPolicy ??= 'Delete';
  obj.volumeBindingMode ??= 'Immediate';
}
