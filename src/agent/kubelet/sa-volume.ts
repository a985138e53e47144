// A pod's service account token volumes on the node: projected volumes holding a
// `serviceAccountToken` source, as the ServiceAccount admission plugin adds them
// (kube-api-access-xxxxx: token, kube-root-ca.crt's ca.crt, the namespace). Their files are
// written under <pods dir>/<pod uid>/volumes/kubernetes.io~projected/<volume> (sa-volume-files.ts:
// the kubelet's atomic ..data layout), and each container that mounts one gets a bind mount of
// that directory (read-only as asked) from the path the engine sees. The token comes from the
// token manager (sa-token.ts), renewed by it; setUp() is safe to repeat and rewrites only what
// changed. Only the sources such a volume needs are read: serviceAccountToken, configMap items
// and downwardAPI field references; other volume types are not this module's.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.ts';
import type { Mount } from '../../runtime/types.ts';
import { R } from '../../api/resources.ts';
import type { KubeletContext } from './context.ts';
import type { PodTokenSource } from './sa-token.ts';
import { writeAtomically, type VolumeFile } from './sa-volume-files.ts';
import { isNotFound } from '../../api/status.ts';

type Obj = Record<string, any>;

/** Where pod volumes live: `local` as this agent writes them, `engine` the same directory as the
 * container engine names it for a bind mount (a node's state volume seen from the engine's host). */
export interface PodsDir {
  local: string;
  engine: string;
}

/** A volume that cannot be set up (yet): the kubelet's FailedMount, the container keeps waiting. */
export class VolumeSetUpError extends Error {
  readonly volume: string;
  constructor(volume: string, message: string) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
    this.volume = volume;
  }
}

const VOLUME_KIND = 'kubernetes.io~projected';

export function isTokenVolume(v: Obj): boolean {
  return Array.isArray(v?.projected?.sources) && v.projected.sources.some((s: Obj) => s?.serviceAccountToken);
}

/** A downward API field of the pod, as the kubelet formats it (labels/annotations: k="v" lines, sorted). */
export function fieldValue(pod: KubeObject, path: string): string | undefined {
  const kv = (m: Record<string, string> | undefined) => Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m![k])}`).join('\n');
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (pod.metadata[sub[1] as 'labels' | 'annotations'] ?? {})[sub[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return pod.metadata.namespace ?? 'default';
    case 'metadata.uid': return pod.metadata.uid;
    case 'metadata.labels': return kv(pod.metadata.labels);
    case 'metadata.annotations': return kv(pod.metadata.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': return pod.status?.hostIP ?? '';
    case 'status.podIP': return pod.status?.podIP ?? '';
    default: return undefined;
  }
}

export class ServiceAccountVolumes {
  private readonly ctx: KubeletContext;
  private readonly tokens: PodTokenSource;
  private readonly dir: PodsDir;

  constructor(ctx: KubeletContext, tokens: PodTokenSource, dir: PodsDir) {
    this.ctx = ctx;
    this.tokens = tokens;
    this.dir = dir;
  }

  private volumeDir(root: string, uid: string, name: string): string {
    return join(root, uid, 'volumes', VOLUME_KIND, name);
  }

  /** Writes (or brings up to date) every token volume of the pod; VolumeSetUpError when a source is missing. */
  async setUp(pod: KubeObject): Promise<void> {
    for (const v of (pod.spec?.volumes ?? []) as Obj[]) {
      if (!isTokenVolume(v)) continue;
      const files = await this.files(pod, v);
      await writeAtomically(this.volumeDir(this.dir.local, pod.metadata.uid!, v.name), files, new Date(this.ctx.clock.now()));
    }
  }

  private async files(pod: KubeObject, v: Obj): Promise<VolumeFile[]> {
    const defaultMode: number = v.projected.defaultMode ?? 0o644;
    const out: VolumeFile[] = [];
    const add = (path: string, content: string | Buffer, mode?: number) => out.push({ path, content: Buffer.from(content), mode: mode ?? defaultMode });
    for (const s of v.projected.sources as Obj[]) {
      if (s.serviceAccountToken) {
        const t = s.serviceAccountToken;
        try {
          const { token } = await this.tokens.token(pod, t.audience || undefined, Number(t.expirationSeconds ?? 3600));
          add(t.path, token);
        } catch (e) {
          throw new VolumeSetUpError(v.name, `failed to fetch token: ${(e as Error).message}`);
        }
      } else if (s.configMap) {
        const ns = pod.metadata.namespace ?? 'default';
        const cm = await this.ctx.client.get(R.configmaps, ns, s.configMap.name).catch((e: unknown) => {
          if (isNotFound(e)) return undefined;
          throw e;
        });
        if (!cm) {
          if (s.configMap.optional) continue;
          throw new VolumeSetUpError(v.name, `configmap "${s.configMap.name}" not found`);
        }
        const data: Record<string, string> = cm.data ?? {};
        const items: Obj[] = s.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }));
        for (const it of items) {
          if (!(it.key in data)) {
            if (s.configMap.optional) continue;
            throw new VolumeSetUpError(v.name, `configmap references non-existent config key: ${it.key}`);
          }
          add(it.path, data[it.key]!, it.mode);
        }
      } else if (s.downwardAPI) {
        for (const it of (s.downwardAPI.items ?? []) as Obj[]) {
          const path: string | undefined = it.fieldRef?.fieldPath;
          const value = path ? fieldValue(pod, path) : undefined;
          if (value === undefined) throw new VolumeSetUpError(v.name, `unsupported downward API field ${path ?? JSON.stringify(it)}`);
          add(it.path, value, it.mode);
        }
      } else {
        throw new VolumeSetUpError(v.name, 'this node writes only serviceAccountToken, configMap and downwardAPI sources of a token volume');
      }
    }
    return out;
  }

  /** Bind mounts for the container's volumeMounts that name a token volume. */
  mounts(pod: KubeObject, c: Obj): Mount[] {
    const tokenVolumes = new Set(((pod.spec?.volumes ?? []) as Obj[]).filter(isTokenVolume).map((v) => v.name as string));
    const out: Mount[] = [];
    for (const m of (c.volumeMounts ?? []) as Obj[]) {
      if (!tokenVolumes.has(m.name)) continue;
      const base = this.volumeDir(this.dir.engine, pod.metadata.uid!, m.name);
      // a subPath is the file as it is now (Kubernetes does not update subPath mounts either)
      const source = m.subPath ? join(base, '..data', m.subPath) : base;
      out.push({ type: 'bind', source, target: m.mountPath, readOnly: m.readOnly === true });
    }
    return out;
  }

  /** Removes the folders of pods that are neither known nor running here (gone while the agent was down). */
  async sweep(keep: Set<string>): Promise<void> {
    const uids = await readdir(this.dir.local).catch(() => [] as string[]);
    for (const uid of uids) if (!keep.has(uid)) await this.tearDown(uid);
  }

  /** Removes the pod's volume files and forgets its tokens. */
  async tearDown(uid: string): Promise<void> {
    this.tokens.forget(uid);
    await rm(join(this.dir.local, uid), { recursive: true, force: true });
  }
}
