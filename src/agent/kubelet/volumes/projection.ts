// What the kubelet writes into configMap, secret, downwardAPI and projected volumes (their
// MakePayload / collectData): one file per key (or per `items` entry, at its `path`), with the
// item's `mode`, else the volume's `defaultMode` (0644 by default); a missing object or key fails
// the mount with the kubelet's message unless the source is `optional`. Pure apart from token
// requests; the objects come from the caller (the kubelet's informer caches).
import type { KubeObject } from '../../../api/types.ts';
import type { Payload } from './atomic-writer.ts';
import { podFieldValue, resourceFieldValue } from './downward.ts';
import type { TokenSource } from './token.ts';

export const DEFAULT_MODE = 0o644;

export interface ProjectionInputs {
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  tokens: TokenSource;
  /** the node's allocatable resources: the value of an unset limit */
  allocatable: Record<string, string>;
}

/** A volume that cannot be set up; the message is the kubelet's (`configmap "x" not found`). */
export class MountError extends Error {}

interface KeyToPath { key: string; path: string; mode?: number }
interface ObjectSource { name?: string; secretName?: string; items?: KeyToPath[]; optional?: boolean }

/** A ConfigMap's keys (data as UTF-8, binaryData from base64). */
export function configMapData(cm: KubeObject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries((cm.data ?? {}) as Record<string, string>)) out.set(k, Buffer.from(String(v), 'utf8'));
  for (const [k, v] of Object.entries((cm.binaryData ?? {}) as Record<string, string>)) out.set(k, Buffer.from(String(v), 'base64'));
  return out;
}

/** A Secret's keys, decoded (stringData, when a Secret was stored with it, wins). */
export function secretData(s: KubeObject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries((s.data ?? {}) as Record<string, string>)) out.set(k, Buffer.from(String(v), 'base64'));
  for (const [k, v] of Object.entries((s.stringData ?? {}) as Record<string, string>)) out.set(k, Buffer.from(String(v), 'utf8'));
  return out;
}

function keysPayload(data: Map<string, Buffer>, src: ObjectSource, defaultMode: number | undefined, missingKey: (k: string) => string): Payload {
  const out: Payload = new Map();
  const mode = defaultMode ?? DEFAULT_MODE;
  if (!src.items?.length) {
    for (const [k, v] of data) out.set(k, { data: v, mode });
    return out;
  }
  for (const it of src.items) {
    const v = data.get(it.key);
    if (v === undefined) {
      if (src.optional) continue;
      throw new MountError(missingKey(it.key));
    }
    out.set(it.path, { data: v, mode: it.mode ?? mode });
  }
  return out;
}

export function configMapPayload(pod: KubeObject, src: ObjectSource, defaultMode: number | undefined, inputs: ProjectionInputs): Payload {
  const cm = inputs.configMap(pod.metadata.namespace ?? 'default', src.name ?? '');
  if (!cm) {
    if (src.optional) return new Map();
    throw new MountError(`configmap "${src.name ?? ''}" not found`);
  }
  return keysPayload(configMapData(cm), src, defaultMode, (k) => `configmap references non-existent config key: ${k}`);
}

export function secretPayload(pod: KubeObject, src: ObjectSource, defaultMode: number | undefined, inputs: ProjectionInputs): Payload {
  const name = src.secretName ?? src.name ?? '';
  const s = inputs.secret(pod.metadata.namespace ?? 'default', name);
  if (!s) {
    if (src.optional) return new Map();
    throw new MountError(`secret "${name}" not found`);
  }
  return keysPayload(secretData(s), src, defaultMode, (k) => `references non-existent secret key: ${k}`);
}

interface DownwardFile { path: string; fieldRef?: { fieldPath: string }; resourceFieldRef?: { containerName?: string; resource: string; divisor?: string }; mode?: number }

export function downwardAPIPayload(pod: KubeObject, items: DownwardFile[] | undefined, defaultMode: number | undefined, inputs: Pick<ProjectionInputs, 'allocatable'>): Payload {
  const out: Payload = new Map();
  for (const f of items ?? []) {
    let value: string;
    try {
      value = f.fieldRef ? podFieldValue(pod, f.fieldRef.fieldPath) : resourceFieldValue(pod, f.resourceFieldRef!, inputs.allocatable);
    } catch (e) {
      throw new MountError((e as Error).message);
    }
    out.set(f.path, { data: Buffer.from(value, 'utf8'), mode: f.mode ?? defaultMode ?? DEFAULT_MODE });
  }
  return out;
}

/** All sources of a projected volume in one payload; the errors of every failing source are reported together. */
export async function projectedPayload(pod: KubeObject, projected: any, inputs: ProjectionInputs): Promise<Payload> {
  const out: Payload = new Map();
  const errors: string[] = [];
  const mode: number = projected.defaultMode ?? DEFAULT_MODE;
  for (const src of (projected.sources ?? []) as any[]) {
    try {
      let part: Payload;
      if (src.configMap) part = configMapPayload(pod, src.configMap, mode, inputs);
      else if (src.secret) part = secretPayload(pod, src.secret, mode, inputs);
      else if (src.downwardAPI) part = downwardAPIPayload(pod, src.downwardAPI.items, mode, inputs);
      else if (src.serviceAccountToken) {
        const t = src.serviceAccountToken;
        const token = await inputs.tokens.requestToken(pod, {
          serviceAccountName: pod.spec?.serviceAccountName || 'default', audience: t.audience || undefined, expirationSeconds: t.expirationSeconds ?? 3600,
        }).catch((e: Error) => { throw new MountError(`failed to fetch token: ${e.message}`); });
        part = new Map([[t.path, { data: Buffer.from(token.token, 'utf8'), mode }]]);
      } else continue;
      for (const [p, f] of part) out.set(p, f);
    } catch (e) {
      if (!(e instanceof MountError)) throw e;
      errors.push(e.message);
    }
  }
  if (errors.length === 1) throw new MountError(errors[0]);
  if (errors.length > 1) throw new MountError(`[${errors.join(', ')}]`);
  return out;
}

/** The payload of a volume the kubelet writes files into; undefined for other volume types. */
export async function payloadFor(pod: KubeObject, volume: any, inputs: ProjectionInputs): Promise<Payload | undefined> {
  if (volume.configMap) return configMapPayload(pod, volume.configMap, volume.configMap.defaultMode, inputs);
  if (volume.secret) return secretPayload(pod, volume.secret, volume.secret.defaultMode, inputs);
  if (volume.downwardAPI) return downwardAPIPayload(pod, volume.downwardAPI.items, volume.downwardAPI.defaultMode, inputs);
  if (volume.projected) return projectedPayload(pod, volume.projected, inputs);
  return undefined;
}
