// One app container of a pod on Docker: its image (imagePullPolicy, with the local image used
// when a pull fails), its ContainerSpec (entrypoint/cmd, env, workingDir, joined to the
// sandbox's network namespace, labelled), and how a Docker container's state reads as a
// Kubernetes container state.
import type { KubeObject } from '../../api/types.ts';
import { LABELS } from '../../runtime/labels.ts';
import type { ContainerSpec, ContainerState } from '../../runtime/types.ts';
import type { KubeletContext } from './context.ts';
import { entrypointAndCmd } from './envvars.ts';
import { containerName, podLabels, podRef } from './sandbox.ts';
import type { ContainerStateK8s } from './status.ts';

export type PullOutcome = { ok: true } | { ok: false; reason: 'ErrImagePull' | 'ErrImageNeverPull'; message: string };

/** Makes the image usable per imagePullPolicy; records Pulling/Pulled/Failed events. */
export async function ensureImage(ctx: KubeletContext, pod: KubeObject, c: any): Promise<PullOutcome> {
  const image: string = c.image;
  const policy: string = c.imagePullPolicy ?? (/:latest$|^[^:@]+$/.test(image.split('/').pop()!) ? 'Always' : 'IfNotPresent');
  const present = await ctx.runtime.imageExists(image);
  if (policy === 'Never') {
    if (present) { ctx.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`); return { ok: true }; }
    const message = `Container image "${image}" is not present with pull policy of Never`;
    ctx.event(pod, 'Warning', 'ErrImageNeverPull', message);
    return { ok: false, reason: 'ErrImageNeverPull', message };
  }
  if (policy === 'IfNotPresent' && present) {
    ctx.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    return { ok: true };
  }
  ctx.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
  const t0 = ctx.clock.now();
  try {
    await ctx.runtime.pullImage(image);
    const secs = ((ctx.clock.now() - t0) / 1000).toFixed(3);
    ctx.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${secs}s`);
    return { ok: true };
  } catch (e) {
    const why = (e as Error).message;
    if (present) {
      ctx.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${why}; using the image present on the machine`);
      return { ok: true };
    }
    ctx.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${why}`);
    ctx.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
    return { ok: false, reason: 'ErrImagePull', message: why };
  }
}

export function appContainerSpec(ctx: KubeletContext, pod: KubeObject, c: any, env: Map<string, string>, sandboxId: string, attempt: number): ContainerSpec {
  const p = podRef(pod);
  const spec: ContainerSpec = {
    name: containerName(ctx.clusterName, p, c.name, attempt),
    image: c.image,
    labels: { ...podLabels(ctx.clusterName, ctx.nodeName, p, ctx.labels), [LABELS.container]: c.name },
    env: Object.fromEntries(env),
    network: { containerOf: sandboxId },
    ...entrypointAndCmd(c, env),
  };
  if (c.workingDir) spec.workingDir = c.workingDir;
  if (c.tty) spec.tty = true;
  if (c.stdin) spec.openStdin = true;
  if (c.stdin && c.stdinOnce) spec.stdinOnce = true;
  const sc = pod.spec?.securityContext ?? {};
  const uid = c.securityContext?.runAsUser ?? sc.runAsUser;
  const gid = c.securityContext?.runAsGroup ?? sc.runAsGroup;
  if (uid !== undefined) spec.user = gid !== undefined ? `${uid}:${gid}` : String(uid);
  if (c.securityContext?.privileged) spec.privileged = true;
  const caps: string[] = c.securityContext?.capabilities?.add ?? [];
  if (caps.length) spec.capAdd = caps;
  return spec;
}

const iso = (d: Date | null): string | undefined => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : undefined);

/** A Docker container's state in Kubernetes' words (terminated reasons Completed, Error,
 * OOMKilled, StartError). */
export function k8sState(s: ContainerState): ContainerStateK8s {
  if (s.running) return { running: { startedAt: iso(s.startedAt) ?? '' } };
  if (s.status === 'created' && !s.error) return { waiting: { reason: 'ContainerCreating' } };
  const containerID = `docker://${s.id}`;
  if (s.error) {
    return { terminated: { exitCode: 128, reason: 'StartError', message: s.error, startedAt: '1970-01-01T00:00:00Z', finishedAt: iso(s.finishedAt), containerID } };
  }
  const reason = s.oomKilled ? 'OOMKilled' : s.exitCode === 0 ? 'Completed' : 'Error';
  const t: NonNullable<ContainerStateK8s['terminated']> = { exitCode: s.exitCode, reason, startedAt: iso(s.startedAt), finishedAt: iso(s.finishedAt), containerID };
  return { terminated: t };
}
