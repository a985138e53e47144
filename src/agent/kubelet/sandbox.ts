// The pod sandbox: the container that holds a pod's network namespace. It gets the pod's IP on
// the cluster network, the pod's hostname and NET_ADMIN, adds the route to the service range via
// its node, writes /etc/resolv.conf (per dnsPolicy) and /etc/hosts (Kubernetes' managed file),
// then only sleeps: it never runs user code. The pod's containers join its namespace and share
// those files. Contents are computed here (pure); names and labels of pod containers too.
import type { KubeObject } from '../../api/types.ts';
import { LABELS, ROLES } from '../../runtime/labels.ts';
import type { ContainerSpec, Mount } from '../../runtime/types.ts';

export interface DnsSettings {
  dnsIP: string;
  clusterDomain: string;
  /** the node's own resolv.conf, for dnsPolicy Default */
  hostResolvConf: string;
}

/** /etc/resolv.conf for the pod, as the kubelet writes it for each dnsPolicy. */
export function resolvConf(pod: KubeObject, d: DnsSettings): string {
  const policy: string = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const cfg = pod.spec?.dnsConfig ?? {};
  const ns = pod.metadata.namespace ?? 'default';
  let servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (policy === 'Default') {
    for (const line of d.hostResolvConf.split('\n')) {
      const [k, ...rest] = line.trim().split(/\s+/);
      if (k === 'nameserver' && rest[0]) servers.push(rest[0]);
      else if (k === 'search') searches = rest;
      else if (k === 'options') options.push(...rest);
    }
  } else if (policy !== 'None' && !(policy === 'ClusterFirst' && pod.spec?.hostNetwork)) {
    servers = [d.dnsIP];
    searches = [`${ns}.svc.${d.clusterDomain}`, `svc.${d.clusterDomain}`, d.clusterDomain];
    options = ['ndots:5'];
  }
  servers = [...servers, ...(cfg.nameservers ?? [])];
  searches = [...new Set([...searches, ...(cfg.searches ?? [])])];
  for (const o of (cfg.options ?? []) as Array<{ name: string; value?: string }>) {
    options = options.filter((x) => x.split(':')[0] !== o.name);
    options.push(o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  }
  const lines: string[] = [];
  for (const s of servers.slice(0, 3)) lines.push(`nameserver ${s}`);
  if (searches.length) lines.push(`search ${searches.join(' ')}`);
  if (options.length) lines.push(`options ${options.join(' ')}`);
  return lines.join('\n') + '\n';
}

/** The pod's hostname: spec.hostname or the pod name (at most 63 characters, no trailing dot/dash). */
export function podHostname(pod: KubeObject): string {
  const h: string = pod.spec?.hostname || pod.metadata.name!;
  return h.length > 63 ? h.slice(0, 63).replace(/[-.]+$/, '') : h;
}

/** /etc/hosts as the kubelet manages it (managedHostsFileContent). */
export function hostsFile(pod: KubeObject, podIP: string, clusterDomain: string): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const host = podHostname(pod);
  const sub: string | undefined = pod.spec?.subdomain;
  if (sub) lines.push(`${podIP}\t${host}.${sub}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}\t${host}`);
  else lines.push(`${podIP}\t${host}`);
  const aliases = (pod.spec?.hostAliases ?? []) as Array<{ ip: string; hostnames?: string[] }>;
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
  }
  return lines.join('\n') + '\n';
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The sandbox's shell program: route, resolv.conf, hosts, then sleep until SIGTERM. */
export function sandboxScript(o: { serviceCIDR: string; nodeIP: string; resolvConf: string; hosts: string }): string {
  return [
    `ip route add ${o.serviceCIDR} via ${o.nodeIP} 2>/dev/null || ip route replace ${o.serviceCIDR} via ${o.nodeIP}`,
    `printf '%s' ${shq(o.resolvConf)} > /etc/resolv.conf`,
    `printf '%s' ${shq(o.hosts)} > /etc/hosts`,
    `trap 'exit 0' TERM INT`,
    `while :; do sleep 3600 & wait $!; done`,
  ].join('\n');
}

export interface PodRef { uid: string; name: string; namespace: string }

export function podRef(pod: KubeObject): PodRef {
  return { uid: pod.metadata.uid!, name: pod.metadata.name!, namespace: pod.metadata.namespace ?? 'default' };
}

/** Labels on every Docker container of a pod (sandbox and app containers). */
export function podLabels(cluster: string, node: string, p: PodRef, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    [LABELS.cluster]: cluster,
    [LABELS.role]: ROLES.pod,
    [LABELS.node]: node,
    [LABELS.podUid]: p.uid,
    [LABELS.podName]: p.name,
    [LABELS.podNamespace]: p.namespace,
  };
}

const SANDBOX = 'POD';

/** Docker name of a pod's container: `<cluster>_<container>_<pod>_<ns>_<uid>_<attempt>` (after
 * dockershim's `k8s_…`); the attempt is the restart count, so it survives an agent restart. */
export function containerName(cluster: string, p: PodRef, container: string, attempt: number): string {
  return `${cluster}_${container}_${p.name}_${p.namespace}_${p.uid}_${attempt}`;
}

export function sandboxName(cluster: string, p: PodRef, attempt: number): string {
  return containerName(cluster, p, SANDBOX, attempt);
}

/** The attempt number at the end of a name made by containerName (-1 when not one of ours). */
export function attemptOf(dockerName: string): number {
  const m = /_(\d+)$/.exec(dockerName);
  return m ? Number(m[1]) : -1;
}

export interface SandboxOptions {
  cluster: string;
  node: string;
  image: string;
  network: string;
  ip: string;
  serviceCIDR: string;
  nodeIP: string;
  dns: DnsSettings;
  labels?: Record<string, string>;
  attempt?: number;
  /** volumes that must live as long as the pod (Memory emptyDirs) */
  mounts?: Mount[];
}

export function sandboxSpec(pod: KubeObject, o: SandboxOptions): ContainerSpec {
  const p = podRef(pod);
  const script = sandboxScript({
    serviceCIDR: o.serviceCIDR,
    nodeIP: o.nodeIP,
    resolvConf: resolvConf(pod, o.dns),
    hosts: hostsFile(pod, o.ip, o.dns.clusterDomain),
  });
  return {
    name: sandboxName(o.cluster, p, o.attempt ?? 0),
    image: o.image,
    labels: { ...podLabels(o.cluster, o.node, p, o.labels), [LABELS.sandbox]: 'true' },
    entrypoint: ['sh', '-c', script],
    cmd: [],
    hostname: podHostname(pod),
    network: { name: o.network, ip: o.ip },
    capAdd: ['NET_ADMIN'],
    ...(o.mounts?.length ? { mounts: o.mounts } : {}),
  };
}
