// Environment of a pod's containers, as the kubelet builds it: the Docker-link style Service
// variables (pkg/kubelet/envvars), the container's own `env` with valueFrom (fieldRef,
// configMapKeyRef, secretKeyRef) and `$(VAR)` expansion (third_party/forked/golang/expansion).
// Pure: Services, ConfigMaps and Secrets are handed in by the caller.
import type { KubeObject } from '../../api/types.ts';

export interface EnvVar { name: string; value: string }

const envName = (s: string): string => s.replace(/-/g, '_').toUpperCase();

function serviceIPSet(svc: KubeObject): boolean {
  const ip = svc.spec?.clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
}

/** The variables for each Service, in the kubelet's order (FromServices). */
export function serviceEnv(services: KubeObject[]): EnvVar[] {
  const out: EnvVar[] = [];
  for (const svc of services) {
    if (!serviceIPSet(svc)) continue;
    const ports = (svc.spec?.ports ?? []) as Array<{ name?: string; port: number; protocol?: string }>;
    if (ports.length === 0) continue;
    const prefix = envName(svc.metadata.name!);
    const ip: string = svc.spec.clusterIP;
    out.push({ name: `${prefix}_SERVICE_HOST`, value: ip });
    out.push({ name: `${prefix}_SERVICE_PORT`, value: String(ports[0]!.port) });
    for (const p of ports) if (p.name) out.push({ name: `${prefix}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
    ports.forEach((p, i) => {
      const proto = (p.protocol || 'TCP').toLowerCase();
      const hostPort = ip.includes(':') ? `[${ip}]:${p.port}` : `${ip}:${p.port}`;
      if (i === 0) out.push({ name: `${prefix}_PORT`, value: `${proto}://${hostPort}` });
      const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.push({ name: pp, value: `${proto}://${hostPort}` });
      out.push({ name: `${pp}_PROTO`, value: proto });
      out.push({ name: `${pp}_PORT`, value: String(p.port) });
      out.push({ name: `${pp}_ADDR`, value: ip });
    });
  }
  return out;
}

/** The Services whose variables a pod gets (getServiceEnvVarMap): those of its namespace when
 * enableServiceLinks is not false, and always `kubernetes` from `default`; a Service of the
 * pod's namespace wins over the master one of the same name. */
export function podServices(pod: KubeObject, services: KubeObject[]): KubeObject[] {
  const ns = pod.metadata.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks !== false;
  const byName = new Map<string, KubeObject>();
  for (const s of services) {
    const sns = s.metadata.namespace ?? 'default';
    if (sns === 'default' && s.metadata.name === 'kubernetes') {
      if (!byName.has('kubernetes')) byName.set('kubernetes', s);
    }
    if (links && sns === ns) byName.set(s.metadata.name!, s);
  }
  return [...byName.values()].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

/** `$(VAR)` references expanded from `vars`; `$$` escapes; unknown references stay as written. */
export function expand(input: string, vars: Map<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) { out += c; continue; }
    const n = input[i + 1];
    if (n === '$') { out += '$'; i++; continue; }
    if (n === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) { out += input.slice(i); break; }
      const name = input.slice(i + 2, end);
      out += vars.has(name) ? vars.get(name)! : `$(${name})`;
      i = end;
      continue;
    }
    out += c;
  }
  return out;
}

/** What a fieldRef / resource lookup may read. */
export interface EnvSources {
  podIP: string;
  hostIP: string;
  configMap(name: string): Record<string, string> | undefined;
  secret(name: string): Record<string, string> | undefined;
}

export class EnvError extends Error {
  /** the waiting reason kubectl shows: CreateContainerConfigError */
  readonly reason = 'CreateContainerConfigError';
}

function fieldRef(pod: KubeObject, path: string, src: EnvSources): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return String((pod.metadata as Record<string, any>)[m[1]!]?.[m[2]!] ?? '');
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? 'default';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP': case 'status.podIPs': return src.podIP;
    case 'status.hostIP': case 'status.hostIPs': return src.hostIP;
    default: throw new EnvError(`unsupported fieldRef ${path}`);
  }
}

/** The container's environment: Service variables first, then its env in order (later wins),
 * each value expanded against what came before it. Throws EnvError for a missing ConfigMap,
 * Secret or key that is not optional, with the kubelet's message. */
export function containerEnv(pod: KubeObject, container: any, services: KubeObject[], src: EnvSources): Map<string, string> {
  const env = new Map<string, string>();
  for (const v of serviceEnv(podServices(pod, services))) env.set(v.name, v.value);
  const ns = pod.metadata.namespace ?? 'default';
  for (const from of (container.envFrom ?? []) as any[]) {
    const isCm = !!from.configMapRef;
    const ref = from.configMapRef ?? from.secretRef;
    const data = isCm ? src.configMap(ref.name) : src.secret(ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw new EnvError(`${isCm ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const [k, v] of Object.entries(data)) env.set(`${from.prefix ?? ''}${k}`, v);
  }
  for (const e of (container.env ?? []) as any[]) {
    if (e.valueFrom === undefined) { env.set(e.name, expand(e.value ?? '', env)); continue; }
    const vf = e.valueFrom;
    if (vf.fieldRef) { env.set(e.name, fieldRef(pod, vf.fieldRef.fieldPath, src)); continue; }
    const isCm = !!vf.configMapKeyRef;
    const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
    if (!ref) continue; // resourceFieldRef: not served
    const data = isCm ? src.configMap(ref.name) : src.secret(ref.name);
    const kind = isCm ? 'configmap' : 'secret';
    if (!data) {
      if (ref.optional) continue;
      throw new EnvError(`${kind} "${ref.name}" not found`);
    }
    if (!(ref.key in data)) {
      if (ref.optional) continue;
      throw new EnvError(`couldn't find key ${ref.key} in ${isCm ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`);
    }
    env.set(e.name, data[ref.key]!);
  }
  return env;
}

/** command/args as Kubernetes maps them onto an image: command replaces the ENTRYPOINT (and
 * drops the image's CMD), args replaces the CMD; both are `$(VAR)`-expanded. */
export function entrypointAndCmd(container: { command?: string[]; args?: string[] }, env: Map<string, string>): { entrypoint?: string[]; cmd?: string[] } {
  const out: { entrypoint?: string[]; cmd?: string[] } = {};
  if (container.command && container.command.length > 0) {
    out.entrypoint = container.command.map((s) => expand(s, env));
    out.cmd = (container.args ?? []).map((s) => expand(s, env));
  } else if (container.args && container.args.length > 0) {
    out.cmd = container.args.map((s) => expand(s, env));
  }
  return out;
}
