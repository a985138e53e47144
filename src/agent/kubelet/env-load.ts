// The inputs of a container's environment that live in the API: the ConfigMaps and Secrets its
// env / envFrom name (read when the container is created, Secrets base64-decoded), combined with
// the Services and the pod's addresses by ./envvars.ts.
import type { KubeObject } from '../../api/types.ts';
import { type KubeletContext } from './context.ts';
import { containerEnv, type EnvSources } from './envvars.ts';
import { R } from '../../api/resources.ts';
import { isNotFound } from '../../api/status.ts';

export async function loadEnv(ctx: KubeletContext, services: KubeObject[], pod: KubeObject, c: any, podIP: string): Promise<Map<string, string>> {
  const ns = pod.metadata.namespace ?? 'default';
  const wanted = new Map<string, Record<string, string> | undefined>();
  const refs: Array<{ kind: 'configmaps' | 'secrets'; name: string }> = [];
  for (const e of (c.env ?? []) as any[]) {
    if (e.valueFrom?.configMapKeyRef) refs.push({ kind: 'configmaps', name: e.valueFrom.configMapKeyRef.name });
    if (e.valueFrom?.secretKeyRef) refs.push({ kind: 'secrets', name: e.valueFrom.secretKeyRef.name });
  }
  for (const f of (c.envFrom ?? []) as any[]) {
    if (f.configMapRef) refs.push({ kind: 'configmaps', name: f.configMapRef.name });
    if (f.secretRef) refs.push({ kind: 'secrets', name: f.secretRef.name });
  }
  for (const r of refs) {
    const k = `${r.kind}/${r.name}`;
    if (wanted.has(k)) continue;
    try {
      const obj = await ctx.client.get(R[r.kind], ns, r.name);
      const data: Record<string, string> = { ...(obj.data ?? {}) };
      if (r.kind === 'secrets') for (const [key, v] of Object.entries(data)) data[key] = Buffer.from(String(v), 'base64').toString('utf8');
      if (r.kind === 'configmaps' || obj.stringData) Object.assign(data, obj.stringData ?? {});
      wanted.set(k, data);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      wanted.set(k, undefined);
    }
  }
  const src: EnvSources = {
    podIP,
    hostIP: ctx.nodeIP,
    configMap: (n) => wanted.get(`configmaps/${n}`),
    secret: (n) => wanted.get(`secrets/${n}`),
  };
  return containerEnv(pod, c, services, src);
}
