// The kubelet's volume manager: before a pod's sandbox and containers are made, every volume of
// the pod is set up on the node (emptyDir directories, hostPath type checks, configMap / secret /
// downwardAPI / projected files through the atomic writer, claims resolved to their volumes);
// on every later pass the written files are brought up to date, so an edited ConfigMap shows in
// its pod within a pass or two. A volume that cannot be set up is a FailedMount event and the pod
// waits, as upstream. Containers get their mounts from mountsFor() (subPath, readOnly).
//
// Docker 20.10 can mount neither a sub-directory of a named volume (VolumeOptions.Subpath is
// Docker 26+) nor, on Docker Desktop, a bind source the host does not share. So each directory a
// container mounts is a small Docker volume of the `local` driver, labelled with the pod's uid,
// that binds the directory inside the state volume from the engine's side (`o=bind`); a Memory
// emptyDir is such a volume of type tmpfs, which the sandbox also mounts so it lives as long as
// the pod. Only a subPath that is a single file is a plain bind (the engine's own path). All of
// them go with the pod (tearDown), and collect() removes what a crash left behind.
import { createHash } from 'node:crypto';
import { mkdir, readdir, realpath, rm, stat, chmod } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseQuantity } from '../../../api/quantity.ts';
import type { KubeObject } from '../../../api/types.ts';
import { LABELS } from '../../../runtime/labels.ts';
import type { Mount } from '../../../runtime/types.ts';
import type { KubeletContext } from '../context.ts';
import { expand } from '../envvars.ts';
import { podLabels, podRef } from '../sandbox.ts';
import { writeAtomically, type Payload } from './atomic-writer.ts';
import { checkHostPath } from './hostpath.ts';
import { handleName, type VolumeLayout } from './layout.ts';
import { MountError, payloadFor, type ProjectionInputs } from './projection.ts';

export interface VolumeSources extends ProjectionInputs {
  claim(namespace: string, name: string): KubeObject | undefined;
  persistentVolume(name: string): KubeObject | undefined;
}

/** A pod volume once set up. */
interface Resolved {
  /** a directory (or a file) in the state volume, relative to it; or a tmpfs volume */
  kind: 'directory' | 'file' | 'tmpfs';
  rel?: string;
  handle?: string;
  readOnly: boolean;
}

export interface PodVolumes {
  /** what the sandbox mounts so a Memory emptyDir lives as long as the pod */
  sandbox: Mount[];
  /** a container's mounts; MountError for a subPath that cannot be mounted */
  mountsFor(container: any, env: Map<string, string>): Promise<Mount[]>;
}

const WRITTEN_TYPES = ['configMap', 'secret', 'downwardAPI', 'projected'];
const typeOf = (v: any): string => Object.keys(v).find((k) => k !== 'name' && v[k] !== undefined && v[k] !== null) ?? 'emptyDir';
const digest = (p: Payload) => {
  const h = createHash('sha256');
  for (const [k, f] of [...p].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${k}\0${f.mode}\0`).update(f.data).update('\0');
  return h.digest('hex');
};

export class VolumeManager {
  private readonly ctx: KubeletContext;
  private readonly layout: VolumeLayout;
  private readonly sources: VolumeSources;
  /** pod uid/volume → digest of the payload last written */
  private readonly written = new Map<string, string>();
  private readonly warnedAt = new Map<string, number>();

  constructor(ctx: KubeletContext, layout: VolumeLayout, sources: VolumeSources) {
    this.ctx = ctx;
    this.layout = layout;
    this.sources = sources;
  }

  /** Sets up (or refreshes) every volume of the pod; undefined when one failed (events said why). */
  async setUp(pod: KubeObject): Promise<PodVolumes | undefined> {
    const resolved = new Map<string, Resolved>();
    let failed = false;
    for (const v of (pod.spec?.volumes ?? []) as any[]) {
      try {
        resolved.set(v.name, await this.setUpVolume(pod, v));
      } catch (e) {
        if (!(e instanceof MountError)) throw e;
        failed = true;
        this.warn(pod, v.name, e.message);
      }
    }
    if (failed) return undefined;
    const sandbox: Mount[] = [];
    for (const [name, r] of resolved) if (r.kind === 'tmpfs') sandbox.push({ type: 'volume', source: r.handle!, target: `/mk/volumes/${name}` });
    return { sandbox, mountsFor: (c, env) => this.mountsFor(pod, resolved, c, env) };
  }

  private warn(pod: KubeObject, volume: string, message: string): void {
    const key = `${pod.metadata.uid}/${volume}`;
    const now = this.ctx.clock.now();
    const last = this.warnedAt.get(key);
    if (last !== undefined && now - last < 10_000) return;
    this.warnedAt.set(key, now);
    this.ctx.event(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${volume}" : ${message}`);
  }

  private async setUpVolume(pod: KubeObject, v: any): Promise<Resolved> {
    const uid = pod.metadata.uid!;
    const type = typeOf(v);
    if (type === 'emptyDir') {
      if (v.emptyDir?.medium === 'Memory') return { kind: 'tmpfs', handle: await this.tmpfs(pod, v), readOnly: false };
      const rel = this.layout.volumeDir(uid, 'emptyDir', v.name)!;
      const dir = this.layout.local(rel);
      if (!(await stat(dir).catch(() => undefined))) {
        await mkdir(dir, { recursive: true });
        await chmod(dir, 0o777);
      }
      return { kind: 'directory', rel, readOnly: false };
    }
    if (type === 'hostPath') return this.hostPath(v.hostPath.path, v.hostPath.type, false);
    if (type === 'persistentVolumeClaim') return this.claim(pod, v.persistentVolumeClaim);
    if (WRITTEN_TYPES.includes(type)) {
      const rel = this.layout.volumeDir(uid, type, v.name)!;
      const payload = (await payloadFor(pod, v, this.sources))!;
      const key = `${uid}/${v.name}`;
      const d = digest(payload);
      if (this.written.get(key) !== d) {
        await writeAtomically(this.layout.local(rel), payload, new Date(this.ctx.clock.now()));
        this.written.set(key, d);
      }
      return { kind: 'directory', rel, readOnly: true };
    }
    throw new MountError(`mk cannot mount ${type} volumes`);
  }

  private async hostPath(path: string, type: string | undefined, readOnly: boolean): Promise<Resolved> {
    const rel = this.layout.hostPath(path);
    const kind = await checkHostPath(this.layout.local(rel), path, type);
    return { kind, rel, readOnly };
  }

  private async claim(pod: KubeObject, src: { claimName: string; readOnly?: boolean }): Promise<Resolved> {
    const ns = pod.metadata.namespace ?? 'default';
    const pvc = this.sources.claim(ns, src.claimName);
    if (!pvc) throw new MountError(`persistentvolumeclaim "${src.claimName}" not found`);
    const volumeName: string | undefined = pvc.spec?.volumeName;
    if (!volumeName || pvc.status?.phase !== 'Bound') throw new MountError(`error processing PVC ${ns}/${src.claimName}: PVC is not bound`);
    const pv = this.sources.persistentVolume(volumeName);
    if (!pv) throw new MountError(`error processing PVC ${ns}/${src.claimName}: failed to fetch PV "${volumeName}" from API server: persistentvolumes "${volumeName}" not found`);
    const readOnly = src.readOnly === true;
    if (pv.spec?.hostPath) return this.hostPath(pv.spec.hostPath.path, pv.spec.hostPath.type, readOnly);
    if (pv.spec?.local) {
      const p: string = pv.spec.local.path;
      if (!(await stat(this.layout.local(this.layout.hostPath(p))).catch(() => undefined))) throw new MountError(`path "${p}" does not exist`);
      return this.hostPath(p, '', readOnly);
    }
    throw new MountError(`mk cannot mount the source of PersistentVolume "${volumeName}"`);
  }

  private labelsFor(pod: KubeObject): Record<string, string> {
    return podLabels(this.ctx.clusterName, this.ctx.nodeName, podRef(pod), this.ctx.labels);
  }

  private async tmpfs(pod: KubeObject, v: any): Promise<string> {
    const name = handleName(this.ctx.clusterName, pod.metadata.uid!, `memory/${v.name}`);
    const opts: Record<string, string> = { type: 'tmpfs', device: 'tmpfs' };
    if (v.emptyDir.sizeLimit) {
      const bytes = parseQuantity(v.emptyDir.sizeLimit).nanos / 1_000_000_000n;
      if (bytes > 0n) opts.o = `size=${bytes}`;
    }
    await this.ctx.runtime.ensureVolume(name, this.labelsFor(pod), { driverOpts: opts });
    return name;
  }

  /** A Docker volume binding this directory of the state volume, from the engine's side. */
  private async handle(pod: KubeObject, rel: string): Promise<string> {
    const name = handleName(this.ctx.clusterName, pod.metadata.uid!, rel);
    await this.ctx.runtime.ensureVolume(name, this.labelsFor(pod), { driverOpts: { type: 'none', o: 'bind', device: this.layout.engine(rel) } });
    return name;
  }

  private async mountsFor(pod: KubeObject, resolved: Map<string, Resolved>, c: any, env: Map<string, string>): Promise<Mount[]> {
    const out: Mount[] = [];
    for (const vm of (c.volumeMounts ?? []) as any[]) {
      const r = resolved.get(vm.name);
      if (!r) throw new MountError(`volume "${vm.name}" is not set up`);
      const readOnly = vm.readOnly === true || r.readOnly;
      const subPath: string = vm.subPath || (vm.subPathExpr ? expand(vm.subPathExpr, env) : '');
      if (r.kind === 'tmpfs') {
        if (subPath) throw new MountError(`mk cannot mount a subPath of the Memory emptyDir "${vm.name}"`);
        out.push({ type: 'volume', source: r.handle!, target: vm.mountPath, readOnly });
        continue;
      }
      let rel = r.rel!;
      let kind = r.kind;
      if (subPath) ({ rel, kind } = await this.subPath(vm.name, rel, subPath, !r.readOnly));
      if (kind === 'directory') out.push({ type: 'volume', source: await this.handle(pod, rel), target: vm.mountPath, readOnly });
      else out.push({ type: 'bind', source: this.layout.engine(rel), target: vm.mountPath, readOnly });
    }
    return out;
  }

  /** The real place of a subPath inside a volume (symlinks of written volumes followed, so the
   * mount keeps the file it was given: upstream's subPath mounts are not updated either). */
  private async subPath(volume: string, rel: string, sub: string, writable: boolean): Promise<{ rel: string; kind: 'directory' | 'file' }> {
    if (sub.startsWith('/') || sub.split('/').includes('..')) throw new MountError(`subPath "${sub}" must be a relative path inside the volume`);
    const base = await realpath(this.layout.local(rel));
    const wanted = join(base, sub);
    if (writable && !(await stat(wanted).catch(() => undefined))) await mkdir(wanted, { recursive: true, mode: 0o755 });
    const real = await realpath(wanted).catch(() => undefined);
    if (!real) throw new MountError(`subPath "${sub}" does not exist in volume "${volume}"`);
    if (real !== base && !real.startsWith(`${base}/`)) throw new MountError(`subpath "${sub}" not within volume path "${volume}"`);
    const root = await realpath(this.layout.root.local);
    const st = await stat(real);
    return { rel: relative(root, real), kind: st.isDirectory() ? 'directory' : 'file' };
  }

  /** Removes what a pod's volumes left on the node: its volume handles and its directory. */
  async tearDown(uid: string): Promise<void> {
    for (const v of await this.ctx.runtime.listVolumes({ [LABELS.cluster]: this.ctx.clusterName, [LABELS.podUid]: uid })) {
      await this.ctx.runtime.removeVolume(v.name).catch(this.ctx.onError);
    }
    await rm(this.layout.local(this.layout.podDir(uid)), { recursive: true, force: true });
    for (const k of [...this.written.keys(), ...this.warnedAt.keys()]) {
      if (k.startsWith(`${uid}/`)) { this.written.delete(k); this.warnedAt.delete(k); }
    }
  }

  /** Tears down the volumes of every pod of this node not in `keep` (left by a crash or a restart). */
  async collect(keep: Set<string>): Promise<void> {
    const stale = new Set<string>();
    for (const v of await this.ctx.runtime.listVolumes({ [LABELS.cluster]: this.ctx.clusterName, [LABELS.node]: this.ctx.nodeName })) {
      const uid = v.labels[LABELS.podUid];
      if (uid && !keep.has(uid)) stale.add(uid);
    }
    const pods = this.layout.local(join('nodes', this.layout.node, 'pods'));
    for (const uid of await readdir(pods).catch(() => [] as string[])) if (!keep.has(uid)) stale.add(uid);
    for (const uid of stale) await this.tearDown(uid);
  }
}
