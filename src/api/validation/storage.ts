// Validation of PersistentVolume, PersistentVolumeClaim (core/v1) and StorageClass
// (storage.k8s.io/v1), with Kubernetes' messages (ValidatePersistentVolume…, ValidateStorageClass);
// a PersistentVolume whose source mk cannot mount (nfs, csi, …) is refused, naming its field, as
// pod volumes are.
import { parseQuantity } from '../quantity.ts';
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { isObj, validateLabelSelector, validateObjectMeta } from './meta.ts';
import { isDNS1123Subdomain, isQualifiedName } from './names.ts';
import { HOST_PATH_TYPES, unsupportedVolume } from './volumes.ts';

type Obj = Record<string, any>;

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

/** The sources of a PersistentVolume (PersistentVolumeSource), and those mk mounts. */
export const PV_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker',
  'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local',
  'storageos', 'csi',
];
export const MK_PV_SOURCES = ['hostPath', 'local'];

function accessModes(modes: unknown, field: string, requiredDetail = ''): StatusCause[] {
  const list: unknown[] = Array.isArray(modes) ? modes : [];
  if (list.length === 0) return [cause.required(field, requiredDetail)];
  const out: StatusCause[] = [];
  for (const m of list) if (!ACCESS_MODES.includes(m as string)) out.push(cause.notSupported(field, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) out.push(cause.forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
  return out;
}

function className(v: unknown, field: string): StatusCause[] {
  return typeof v === 'string' && v ? isDNS1123Subdomain(v).map((m) => cause.invalid(field, v, m)) : [];
}

function positiveStorage(v: unknown, field: string): StatusCause[] {
  try {
    if (parseQuantity(v as string).nanos <= 0n) return [cause.invalid(field, v, 'must be greater than zero')];
  } catch { /* a type error the decoder reported */ }
  return [];
}

function pvSourceOf(spec: Obj): string {
  const src: Obj = {};
  for (const k of PV_SOURCES) if (spec[k] !== undefined) src[k] = spec[k];
  return JSON.stringify(src);
}

export function validatePersistentVolume(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  out.push(...accessModes(spec.accessModes, 'spec.accessModes'));
  const capacity: Obj = isObj(spec.capacity) ? spec.capacity : {};
  if (Object.keys(capacity).length === 0) out.push(cause.required('spec.capacity'));
  else if (!('storage' in capacity) || Object.keys(capacity).length > 1) out.push(cause.notSupported('spec.capacity', capacity, ['storage']));
  else out.push(...positiveStorage(capacity.storage, 'spec.capacity.storage'));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !RECLAIM_POLICIES.includes(policy)) out.push(cause.notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  out.push(...className(spec.storageClassName, 'spec.storageClassName'));
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) out.push(cause.notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  const sources = PV_SOURCES.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (sources.length === 0) out.push(cause.required('spec', 'must specify a volume type'));
  for (const extra of sources.slice(1)) out.push(cause.forbidden(`spec.${extra}`, 'may not specify more than 1 volume type'));
  if (isObj(spec.hostPath)) {
    if (!spec.hostPath.path) out.push(cause.required('spec.hostPath.path'));
    else if (spec.hostPath.path.split('/').includes('..')) out.push(cause.invalid('spec.hostPath.path', spec.hostPath.path, "must not contain '..'"));
    const t = spec.hostPath.type;
    if (t !== undefined && t !== null && !HOST_PATH_TYPES.includes(t)) out.push(cause.notSupported('spec.hostPath.type', t, HOST_PATH_TYPES));
  }
  if (isObj(spec.local)) {
    if (!spec.local.path) out.push(cause.required('spec.local.path'));
    if (!isObj(spec.nodeAffinity)) out.push(cause.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  for (const s of sources.slice(0, 1)) if (!MK_PV_SOURCES.includes(s)) out.push(unsupportedVolume(`spec.${s}`, s, MK_PV_SOURCES));
  if (old && isObj(old.spec)) {
    if (pvSourceOf(spec) !== pvSourceOf(old.spec)) out.push(cause.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
    if ((spec.volumeMode ?? 'Filesystem') !== (old.spec.volumeMode ?? 'Filesystem')) out.push(cause.invalid('spec.volumeMode', spec.volumeMode, 'field is immutable'));
  }
  return out;
}

/** The spec fields a bound claim may change (and volumeName, set once by the binder). */
function comparableClaimSpec(spec: Obj, old: Obj): string {
  const s = structuredClone(spec);
  if (isObj(s.resources)) delete s.resources.requests;
  delete s.volumeAttributesClassName;
  if (!old.volumeName) delete s.volumeName;
  // the PV controller gives a claim with no class the default one, once (retroactive default class)
  if (old.storageClassName === undefined) delete s.storageClassName;
  return JSON.stringify(s, Object.keys(s).sort());
}

export function validatePersistentVolumeClaim(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  out.push(...accessModes(spec.accessModes, 'spec.accessModes', 'at least 1 access mode is required'));
  out.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const requests: Obj = isObj(spec.resources) && isObj(spec.resources.requests) ? spec.resources.requests : {};
  if (requests.storage === undefined) out.push(cause.required('spec.resources[storage]'));
  else out.push(...positiveStorage(requests.storage, 'spec.resources[storage]'));
  out.push(...className(spec.storageClassName, 'spec.storageClassName'));
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) out.push(cause.notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (old && isObj(old.spec)) {
    const oldSpec = old.spec as Obj;
    if (comparableClaimSpec(spec, oldSpec) !== comparableClaimSpec(oldSpec, oldSpec)) {
      out.push(cause.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
    }
  }
  return out;
}

export function validateStorageClass(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  if (!obj.provisioner) out.push(cause.required('provisioner'));
  else out.push(...isQualifiedName(String(obj.provisioner).toLowerCase()).map((m) => cause.invalid('provisioner', obj.provisioner, m)));
  if (obj.reclaimPolicy && !['Delete', 'Retain'].includes(obj.reclaimPolicy)) out.push(cause.notSupported('reclaimPolicy', obj.reclaimPolicy, ['Delete', 'Retain']));
  if (obj.volumeBindingMode && !BINDING_MODES.includes(obj.volumeBindingMode)) out.push(cause.notSupported('volumeBindingMode', obj.volumeBindingMode, BINDING_MODES));
  if (old) {
    if (JSON.stringify(obj.parameters ?? {}) !== JSON.stringify(old.parameters ?? {})) out.push(cause.forbidden('parameters', 'updates to parameters are forbidden.'));
    if (obj.provisioner !== old.provisioner) out.push(cause.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (obj.reclaimPolicy !== old.reclaimPolicy) out.push(cause.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (obj.volumeBindingMode !== old.volumeBindingMode) out.push(cause.invalid('volumeBindingMode', obj.volumeBindingMode ?? '', 'field is immutable'));
  }
  return out;
}
