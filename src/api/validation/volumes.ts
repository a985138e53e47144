// Validation of a PodSpec's volumes (pkg/apis/core/validation validateVolumes and the source
// validators), with Kubernetes' messages, plus mk's own admission rule: a volume type mk cannot
// provide (nfs, csi, awsElasticBlockStore, …) is refused with its field path instead of being
// accepted and never mounted.
import { parseQuantity } from '../quantity.ts';
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import { isObj } from './meta.ts';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain } from './names.ts';

type Obj = Record<string, any>;

export const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

/** The pod volume types the mk kubelet mounts. */
export const MK_VOLUME_SOURCES = ['configMap', 'downwardAPI', 'emptyDir', 'hostPath', 'persistentVolumeClaim', 'projected', 'secret'];
/** The projected sources the mk kubelet writes. */
export const MK_PROJECTION_SOURCES = ['configMap', 'downwardAPI', 'secret', 'serviceAccountToken'];

export const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
export const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const DOWNWARD_FIELDS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const RESOURCE_FIELDS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** A mk refusal of a volume type it cannot provide. */
export function unsupportedVolume(field: string, type: string, supported: string[]): StatusCause {
  return cause.forbidden(field, `mk cannot provide ${type} volumes; it mounts ${supported.join(', ')}`);
}

function noBacksteps(p: string, field: string): StatusCause[] {
  return p.split('/').includes('..') ? [cause.invalid(field, p, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, no `..` element. */
export function localDescendingPath(p: string, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (p.startsWith('/')) out.push(cause.invalid(field, p, 'must be a relative path'));
  out.push(...noBacksteps(p, field));
  return out;
}

/** ValidateLocalNonReservedPath: also not starting with `..` (the writer's own names). */
export function localNonReservedPath(p: string, field: string): StatusCause[] {
  const out = localDescendingPath(p, field);
  if (p.startsWith('..') && !p.startsWith('../')) out.push(cause.invalid(field, p, "must not start with '..'"));
  return out;
}

function mode(v: unknown, field: string): StatusCause[] {
  return typeof v === 'number' && (v > 0o777 || v < 0) ? [cause.invalid(field, v, FILE_MODE_ERROR)] : [];
}

function keyToPaths(items: unknown, field: string, paths?: Set<string>, dupValue?: string, dupField?: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!Array.isArray(items)) return out;
  items.forEach((kp, i) => {
    if (!isObj(kp)) return;
    const ip = `${field}[${i}]`;
    if (!kp.key) out.push(cause.required(`${ip}.key`));
    if (!kp.path) out.push(cause.required(`${ip}.path`));
    out.push(...localNonReservedPath(kp.path ?? '', `${ip}.path`));
    out.push(...mode(kp.mode, `${ip}.mode`));
    if (paths && kp.path) {
      if (paths.has(kp.path)) out.push(cause.invalid(dupField!, dupValue, 'conflicting duplicate paths'));
      paths.add(kp.path);
    }
  });
  return out;
}

function fieldSelector(ref: Obj, field: string): StatusCause[] {
  const path: string = ref.fieldPath ?? '';
  if (!path) return [cause.required(`${field}.fieldPath`)];
  if (/^metadata\.(labels|annotations)\[.+\]$/.test(path)) {
    const m = /^metadata\.(?:labels|annotations)\['(.*)'\]$/.exec(path);
    if (!m) return [cause.invalid(`${field}.fieldPath`, path, 'error converting fieldPath: field label not supported')];
    return [];
  }
  return DOWNWARD_FIELDS.includes(path) ? [] : [cause.notSupported(`${field}.fieldPath`, path, DOWNWARD_FIELDS)];
}

function downwardFiles(items: unknown, field: string, paths?: Set<string>, dupField?: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!Array.isArray(items)) return out;
  for (const f of items) {
    if (!isObj(f)) continue;
    // upstream names a downward file by its volume's path, not its index
    if (!f.path) out.push(cause.required(`${field}.path`));
    out.push(...localNonReservedPath(f.path ?? '', `${field}.path`));
    if (isObj(f.fieldRef)) {
      out.push(...fieldSelector(f.fieldRef, `${field}.fieldRef`));
      if (isObj(f.resourceFieldRef)) out.push(cause.invalid(field, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    } else if (isObj(f.resourceFieldRef)) {
      const r = f.resourceFieldRef;
      if (!r.containerName) out.push(cause.required(`${field}.resourceFieldRef.containerName`));
      if (!r.resource) out.push(cause.required(`${field}.resourceFieldRef.resource`));
      else if (!RESOURCE_FIELDS.includes(r.resource)) out.push(cause.notSupported(`${field}.resourceFieldRef.resource`, r.resource, RESOURCE_FIELDS));
    } else out.push(cause.required(field, 'one of fieldRef and resourceFieldRef is required'));
    out.push(...mode(f.mode, `${field}.mode`));
    if (paths && f.path) {
      if (paths.has(f.path)) out.push(cause.invalid(dupField!, f.path, 'conflicting duplicate paths'));
      paths.add(f.path);
    }
  }
  return out;
}

function projected(p: Obj, field: string): StatusCause[] {
  const out = mode(p.defaultMode, `${field}.defaultMode`);
  const paths = new Set<string>();
  (Array.isArray(p.sources) ? p.sources : []).forEach((src: unknown, i: number) => {
    if (!isObj(src)) return;
    const sp = `${field}.sources[${i}]`;
    const set = Object.keys(src).filter((k) => src[k] !== undefined && src[k] !== null);
    if (set.length > 1) out.push(cause.forbidden(sp, 'may not specify more than 1 volume type'));
    for (const k of ['secret', 'configMap'] as const) {
      if (!isObj(src[k])) continue;
      if (!src[k].name) out.push(cause.required(`${sp}.${k}.name`));
      out.push(...keyToPaths(src[k].items, `${sp}.${k}.items`, paths, src[k].name ?? '', field));
    }
    if (isObj(src.downwardAPI)) out.push(...downwardFiles(src.downwardAPI.items, `${sp}.downwardAPI`, paths, field));
    if (isObj(src.serviceAccountToken)) {
      const t = src.serviceAccountToken;
      const exp = t.expirationSeconds ?? 3600;
      if (exp < 600) out.push(cause.invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) out.push(cause.invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!t.path) out.push(cause.required(`${field}.path`));
      else {
        out.push(...localNonReservedPath(t.path, `${field}.path`));
        if (paths.has(t.path)) out.push(cause.invalid(field, t.path, 'conflicting duplicate paths'));
        paths.add(t.path);
      }
    }
    for (const k of set) {
      if (!MK_PROJECTION_SOURCES.includes(k)) out.push(unsupportedVolume(`${sp}.${k}`, `projected ${k}`, MK_PROJECTION_SOURCES));
    }
  });
  return out;
}

/** One volume's source, by the fields Kubernetes checks. */
function source(v: Obj, vp: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (isObj(v.hostPath)) {
    if (!v.hostPath.path) out.push(cause.required(`${vp}.hostPath.path`));
    else out.push(...noBacksteps(v.hostPath.path, `${vp}.hostPath.path`));
    const t = v.hostPath.type;
    if (t !== undefined && t !== null && !HOST_PATH_TYPES.includes(t)) out.push(cause.notSupported(`${vp}.hostPath.type`, t, HOST_PATH_TYPES));
  }
  if (isObj(v.emptyDir) && v.emptyDir.sizeLimit !== undefined && v.emptyDir.sizeLimit !== null) {
    let negative = false;
    try { negative = parseQuantity(v.emptyDir.sizeLimit).nanos < 0n; } catch { /* the decoder reported it */ }
    if (negative) out.push(cause.forbidden(`${vp}.emptyDir.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
  }
  if (isObj(v.persistentVolumeClaim) && !v.persistentVolumeClaim.claimName) out.push(cause.required(`${vp}.persistentVolumeClaim.claimName`));
  if (isObj(v.secret)) {
    if (!v.secret.secretName) out.push(cause.required(`${vp}.secret.secretName`));
    else out.push(...isDNS1123Subdomain(v.secret.secretName).map((m) => cause.invalid(`${vp}.secret.secretName`, v.secret.secretName, m)));
    out.push(...mode(v.secret.defaultMode, `${vp}.secret.defaultMode`));
    out.push(...keyToPaths(v.secret.items, `${vp}.secret.items`));
  }
  if (isObj(v.configMap)) {
    if (!v.configMap.name) out.push(cause.required(`${vp}.configMap.name`));
    else out.push(...isDNS1123Subdomain(v.configMap.name).map((m) => cause.invalid(`${vp}.configMap.name`, v.configMap.name, m)));
    out.push(...mode(v.configMap.defaultMode, `${vp}.configMap.defaultMode`));
    out.push(...keyToPaths(v.configMap.items, `${vp}.configMap.items`));
  }
  for (const k of ['secret', 'configMap'] as const) {
    if (!isObj(v[k]) || !Array.isArray(v[k].items)) continue;
    v[k].items.forEach((kp: unknown, i: number) => {
      if (isObj(kp) && kp.key) out.push(...isConfigMapKey(kp.key).map((m) => cause.invalid(`${vp}.${k}.items[${i}].key`, kp.key, m)));
    });
  }
  if (isObj(v.downwardAPI)) {
    out.push(...mode(v.downwardAPI.defaultMode, `${vp}.downwardAPI.defaultMode`));
    out.push(...downwardFiles(v.downwardAPI.items, `${vp}.downwardAPI`));
  }
  if (isObj(v.projected)) out.push(...projected(v.projected, `${vp}.projected`));
  return out;
}

/** Validates spec.volumes; returns the causes and the volume names (for volumeMounts). */
export function validateVolumes(volumes: unknown, path: string): { causes: StatusCause[]; names: Set<string> } {
  const out: StatusCause[] = [];
  const names = new Set<string>();
  if (!Array.isArray(volumes)) return { causes: out, names };
  volumes.forEach((v, i) => {
    if (!isObj(v)) return;
    const vp = `${path}[${i}]`;
    if (!v.name) out.push(cause.required(`${vp}.name`));
    else {
      out.push(...isDNS1123Label(v.name).map((m) => cause.invalid(`${vp}.name`, v.name, m)));
      if (names.has(v.name)) out.push(cause.duplicate(`${vp}.name`, v.name));
      names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined && v[s] !== null);
    if (sources.length === 0) out.push(cause.required(vp, 'must specify a volume type'));
    for (const extra of sources.slice(1)) out.push(cause.forbidden(`${vp}.${extra}`, 'may not specify more than 1 volume type'));
    out.push(...source(v, vp));
    for (const s of sources.slice(0, 1)) if (!MK_VOLUME_SOURCES.includes(s)) out.push(unsupportedVolume(`${vp}.${s}`, s, MK_VOLUME_SOURCES));
  });
  return { causes: out, names };
}
