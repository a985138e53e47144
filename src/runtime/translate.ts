// Pure mapping between mk's runtime contract (./types.ts) and the Docker Engine API's shapes
// (as dockerode sends and receives them). No I/O here: every function is table-tested.
// Shapes coming back from Docker are typed as the minimal subsets read, so tests can feed
// literal objects.

import type Docker from 'dockerode';
import { BugError } from '../lib/errors.ts';
import type {
  ContainerSpec, ContainerState, ContainerStatus, ContainerSummary, ExecOptions, ImageSummary,
  LogsOptions, MountInfo, NetworkOptions, PublishedPort, RuntimeEvent, VolumeOptions,
} from './types.ts';

/** Docker's "never" timestamp */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export function toCreateOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const joined = spec.network !== undefined && 'containerOf' in spec.network;
  if (joined) {
    const conflicts = (['hostname', 'publish', 'dns', 'extraHosts'] as const).filter((k) => spec[k] !== undefined);
    if (conflicts.length > 0) {
      throw new BugError(`container ${spec.name}: ${conflicts.join(', ')} cannot be set on a container that joins another's network namespace`);
    }
  }
  const hostConfig: Docker.HostConfig = {};
  const out: Docker.ContainerCreateOptions = { name: spec.name, Image: spec.image, Labels: { ...spec.labels } };
  if (spec.cmd) out.Cmd = [...spec.cmd];
  if (spec.entrypoint) out.Entrypoint = [...spec.entrypoint];
  if (spec.env) out.Env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  if (spec.workingDir) out.WorkingDir = spec.workingDir;
  if (spec.hostname) out.Hostname = spec.hostname;
  if (spec.user) out.User = spec.user;
  if (spec.stopSignal) out.StopSignal = spec.stopSignal;
  if (spec.tty) out.Tty = true;
  if (spec.openStdin) { out.OpenStdin = true; out.AttachStdin = true; }
  if (spec.openStdin && spec.stdinOnce) out.StdinOnce = true;

  if (spec.network) {
    if ('containerOf' in spec.network) {
      hostConfig.NetworkMode = `container:${spec.network.containerOf}`;
    } else {
      hostConfig.NetworkMode = spec.network.name;
      const endpoint: Docker.EndpointSettings = {};
      if (spec.network.ip) endpoint.IPAMConfig = { IPv4Address: spec.network.ip };
      out.NetworkingConfig = { EndpointsConfig: { [spec.network.name]: endpoint } };
    }
  }
  if (spec.mounts && spec.mounts.length > 0) {
    hostConfig.Mounts = spec.mounts.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly === true }));
  }
  if (spec.privileged) hostConfig.Privileged = true;
  if (spec.capAdd && spec.capAdd.length > 0) hostConfig.CapAdd = [...spec.capAdd];
  if (spec.publish && spec.publish.length > 0) {
    const exposed: Record<string, object> = {};
    const bindings: Docker.PortMap = {};
    for (const p of spec.publish) {
      if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535) {
        throw new BugError(`container ${spec.name}: container port ${p.containerPort} is not a port`);
      }
      const key = `${p.containerPort}/${p.protocol ?? 'tcp'}`;
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort ? String(p.hostPort) : '' });
    }
    out.ExposedPorts = exposed;
    hostConfig.PortBindings = bindings;
  }
  if (spec.restart) hostConfig.RestartPolicy = { Name: spec.restart };
  if (spec.dns) hostConfig.Dns = [...spec.dns];
  if (spec.extraHosts) hostConfig.ExtraHosts = [...spec.extraHosts];
  if (spec.init) hostConfig.Init = true;
  out.HostConfig = hostConfig;
  return out;
}

/** Docker list filter for "carries every one of these labels" */
export function labelFilters(labels: Record<string, string>): { label: string[] } {
  return { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
}

export function toNetworkCreateOptions(o: NetworkOptions): Docker.NetworkCreateOptions {
  const config: { Subnet: string; Gateway: string; IPRange?: string } = { Subnet: o.subnet, Gateway: o.gateway };
  if (o.ipRange) config.IPRange = o.ipRange;
  return {
    Name: o.name,
    Driver: 'bridge',
    CheckDuplicate: true,
    IPAM: { Driver: 'default', Config: [config] },
    Options: { 'com.docker.network.bridge.enable_ip_masquerade': 'true' },
    Labels: { ...o.labels },
  };
}

export function toVolumeCreateOptions(name: string, labels: Record<string, string>, o: VolumeOptions = {}): Docker.VolumeCreateOptions {
  const out: Docker.VolumeCreateOptions = { Name: name, Labels: { ...labels } };
  if (o.driverOpts && Object.keys(o.driverOpts).length > 0) {
    out.Driver = 'local';
    out.DriverOpts = { ...o.driverOpts };
  }
  return out;
}

export interface DockerNetworkSubset {
  Name: string;
  IPAM?: { Config?: Array<{ Subnet?: string }> | null } | null;
}

export function subnetsOf(networks: DockerNetworkSubset[]): string[] {
  const out: string[] = [];
  for (const n of networks) for (const c of n.IPAM?.Config ?? []) if (c.Subnet) out.push(c.Subnet);
  return out;
}

export interface DockerContainerInfoSubset {
  Id: string;
  Names: string[];
  Image: string;
  Labels: Record<string, string> | null;
  State: string;
  Status: string;
  Created: number;
}

export function toSummary(c: DockerContainerInfoSubset): ContainerSummary {
  return {
    id: c.Id,
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    labels: { ...(c.Labels ?? {}) },
    state: c.State as ContainerStatus,
    status: c.Status,
    createdAt: new Date(c.Created * 1000),
  };
}

export interface DockerInspectSubset {
  Id: string;
  Name: string;
  Image: string;
  State: {
    Status: string; Running: boolean; OOMKilled: boolean; Pid: number; ExitCode: number;
    Error: string; StartedAt: string; FinishedAt: string;
  };
  Config: { Image: string; Labels: Record<string, string> | null; Tty: boolean };
  NetworkSettings: {
    Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null;
    Networks?: Record<string, { IPAddress?: string }> | null;
  };
  Mounts?: Array<{ Type?: string; Name?: string; Source?: string; Destination?: string }> | null;
}

function dockerTime(s: string): Date | null {
  if (!s || s.startsWith('0001-01-01') || s === ZERO_TIME) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function toState(c: DockerInspectSubset): ContainerState {
  const ips: Record<string, string> = {};
  for (const [net, ep] of Object.entries(c.NetworkSettings.Networks ?? {})) if (ep.IPAddress) ips[net] = ep.IPAddress;
  const publishedPorts: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries(c.NetworkSettings.Ports ?? {})) {
    const [port, proto] = key.split('/');
    for (const b of bindings ?? []) {
      publishedPorts.push({ containerPort: Number(port), protocol: proto === 'udp' ? 'udp' : 'tcp', hostIp: b.HostIp, hostPort: Number(b.HostPort) });
    }
  }
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    image: c.Config.Image,
    imageId: c.Image,
    labels: { ...(c.Config.Labels ?? {}) },
    status: c.State.Status as ContainerStatus,
    running: c.State.Running,
    exitCode: c.State.ExitCode,
    oomKilled: c.State.OOMKilled,
    error: c.State.Error ?? '',
    pid: c.State.Pid,
    startedAt: dockerTime(c.State.StartedAt),
    finishedAt: dockerTime(c.State.FinishedAt),
    ips,
    publishedPorts,
    tty: c.Config.Tty,
    mounts: (c.Mounts ?? []).map((m): MountInfo => {
      const out: MountInfo = { type: m.Type ?? '', source: m.Source ?? '', destination: m.Destination ?? '' };
      if (m.Name) out.name = m.Name;
      return out;
    }),
  };
}

export interface DockerImageInfoSubset {
  Id: string;
  RepoTags?: string[] | null;
  Size: number;
  Created: number;
  Labels?: Record<string, string> | null;
}

export function toImageSummary(i: DockerImageInfoSubset): ImageSummary {
  return {
    id: i.Id,
    tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    size: i.Size,
    createdAt: new Date(i.Created * 1000),
    labels: { ...(i.Labels ?? {}) },
  };
}

export function toExecCreateOptions(cmd: string[], o: ExecOptions = {}): Docker.ExecCreateOptions {
  if (cmd.length === 0) throw new BugError('exec needs a command');
  const out: Docker.ExecCreateOptions = {
    Cmd: [...cmd], AttachStdout: true, AttachStderr: true, AttachStdin: o.stdin === true, Tty: o.tty === true,
  };
  if (o.env && o.env.length > 0) out.Env = [...o.env];
  if (o.workingDir) out.WorkingDir = o.workingDir;
  if (o.user) out.User = o.user;
  return out;
}

export interface DockerLogsQuery {
  stdout: true; stderr: true; follow: boolean; timestamps: boolean; tail?: number; since?: number;
}

export function toLogsQuery(o: LogsOptions = {}): DockerLogsQuery {
  const q: DockerLogsQuery = { stdout: true, stderr: true, follow: o.follow === true, timestamps: o.timestamps === true };
  if (o.tail !== undefined && o.tail >= 0) q.tail = o.tail;
  if (o.since !== undefined && o.since > 0) q.since = Math.floor(o.since);
  return q;
}

/** The first error a build or pull progress stream reports (lines like `{"error":"…","errorDetail":{…}}`) */
export function progressError(events: Array<Record<string, unknown>>): string | undefined {
  for (const e of events) {
    const detail = e.errorDetail as { message?: string } | undefined;
    if (typeof e.error === 'string' && e.error) return e.error.trim();
    if (detail?.message) return detail.message.trim();
  }
  return undefined;
}

export interface DockerEventSubset {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** A container event in mk's words; undefined for events of other object types. Docker puts a
 * container's labels among the actor's attributes, mixed with `name`, `image`, `exitCode`. */
export function toRuntimeEvent(e: DockerEventSubset, labelKeys: readonly string[]): RuntimeEvent | undefined {
  if (e.Type !== undefined && e.Type !== 'container') return undefined;
  const attrs = e.Actor?.Attributes ?? {};
  const labels: Record<string, string> = {};
  for (const k of labelKeys) if (k in attrs) labels[k] = attrs[k]!;
  const action = (e.Action ?? e.status ?? '').split(':')[0]!;
  const out: RuntimeEvent = {
    action,
    id: e.Actor?.ID ?? e.id ?? '',
    labels,
    time: e.timeNano ? new Date(Math.floor(e.timeNano / 1e6)) : new Date((e.time ?? 0) * 1000),
  };
  if (action === 'die' && attrs.exitCode !== undefined) out.exitCode = Number(attrs.exitCode);
  return out;
}

/** The images an image load (`docker load`) reports, from its progress lines: the tags
 * (`Loaded image: busybox:latest`), or the id (`Loaded image ID: sha256:…`) for untagged ones. */
export function loadedImages(events: Array<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (typeof e.stream !== 'string') continue;
    for (const line of e.stream.split('\n')) {
      const m = /^Loaded image(?: ID)?: (\S+)\s*$/.exec(line.trim());
      if (m && !out.includes(m[1]!)) out.push(m[1]!);
    }
  }
  return out;
}
