// The contract of the container runtime: what mk asks of a container engine, in mk's words.
// Implemented by ./docker.ts (dockerode); the mapping to Docker's API shapes is ./translate.ts.
// Callers (cluster lifecycle, kubelet, tests) depend on this file only.

import type { Readable, Writable } from 'node:stream';

export interface Mount {
  /** host path (bind) or volume name (volume) */
  source: string;
  target: string;
  readOnly?: boolean;
  type: 'bind' | 'volume';
}

/** A named volume made by the engine's `local` driver. Without options it is a directory the
 * engine keeps; `driverOpts` are the local driver's mount options, e.g. `{ type: 'tmpfs',
 * device: 'tmpfs', o: 'size=64m' }` (memory), or `{ type: 'none', o: 'bind', device: PATH }`
 * (a directory the engine binds where it mounts the volume: PATH is read on the engine's side) */
export interface VolumeOptions {
  driverOpts?: Record<string, string>;
}

export interface VolumeSummary {
  name: string;
  labels: Record<string, string>;
}

/** A mount of a container as the engine reports it. */
export interface MountInfo {
  type: string;
  /** the volume's name, for volume mounts */
  name?: string;
  /** where the data is on the engine's side (a volume's mountpoint, a bind's host path) */
  source: string;
  destination: string;
}

export interface PortPublish {
  containerPort: number;
  /** omitted or 0: the engine picks a free port (read it back from inspectContainer) */
  hostPort?: number;
  hostIp: '127.0.0.1';
  protocol?: 'tcp' | 'udp';
}

export type NetworkAttachment =
  | { name: string; ip?: string }
  /** join another container's network namespace (pod containers join their sandbox) */
  | { containerOf: string };

export interface ContainerSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  cmd?: string[];
  entrypoint?: string[];
  /** insertion order is kept */
  env?: Record<string, string>;
  workingDir?: string;
  /** not allowed with `network: { containerOf }` (the namespace owner's hostname is shared) */
  hostname?: string;
  network?: NetworkAttachment;
  mounts?: Mount[];
  privileged?: boolean;
  capAdd?: string[];
  /** not allowed with `network: { containerOf }` */
  publish?: PortPublish[];
  restart?: 'no' | 'unless-stopped';
  /** not allowed with `network: { containerOf }` */
  dns?: string[];
  /** `name:ip` entries for /etc/hosts; not allowed with `network: { containerOf }` */
  extraHosts?: string[];
  tty?: boolean;
  openStdin?: boolean;
  /** with openStdin: the engine closes the container's stdin when the first attached client
   * ends it (without a tty; a terminal stays open, as Docker keeps it) */
  stdinOnce?: boolean;
  /** run Docker's tiny init as PID 1 (reaps zombies, forwards signals) */
  init?: boolean;
  /** `uid[:gid]` or a user name */
  user?: string;
  stopSignal?: string;
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerSummary {
  id: string;
  /** without Docker's leading slash */
  name: string;
  image: string;
  labels: Record<string, string>;
  state: ContainerStatus;
  /** Docker's human text, e.g. `Up 3 seconds`, `Exited (0) 2 minutes ago` */
  status: string;
  createdAt: Date;
}

export interface PublishedPort {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
}

export interface ContainerState {
  id: string;
  name: string;
  image: string;
  /** the image's id (sha256:…) as Kubernetes reports imageID */
  imageId: string;
  labels: Record<string, string>;
  status: ContainerStatus;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  /** Docker's error text when the container could not start (e.g. executable not found) */
  error: string;
  pid: number;
  /** null while never started / never finished */
  startedAt: Date | null;
  finishedAt: Date | null;
  /** IPv4 address per attached network name */
  ips: Record<string, string>;
  publishedPorts: PublishedPort[];
  tty: boolean;
  /** what the engine mounted (always filled by the Docker runtime) */
  mounts?: MountInfo[];
}

export interface ImageSummary {
  id: string;
  tags: string[];
  size: number;
  createdAt: Date;
  labels: Record<string, string>;
}

export interface ExecOptions {
  tty?: boolean;
  stdin?: boolean;
  /** `K=V` entries */
  env?: string[];
  workingDir?: string;
  user?: string;
}

export interface ExecSession {
  /** present when started with `stdin: true`; end() it to send EOF */
  stdin: Writable | null;
  stdout: Readable;
  /** with a tty everything arrives on stdout and this stream ends empty */
  stderr: Readable;
  /** terminal size; only meaningful with a tty */
  resize(width: number, height: number): Promise<void>;
  /** resolves when the command has ended; rejects with a RuntimeError `ExecFailed` (the engine's
   * words, e.g. `exec: "bash": executable file not found in $PATH`) when it could not start */
  exitCode(): Promise<number>;
}

export interface AttachOptions {
  /** send input to the container's stdin (it must have been created with openStdin) */
  stdin?: boolean;
  /** the container was created with a tty: its output is one raw stream */
  tty?: boolean;
}

export interface AttachSession {
  /** present when attached with `stdin: true`; end() it to send EOF (a stdinOnce container
   * without a tty then sees its stdin closed) */
  stdin: Writable | null;
  stdout: Readable;
  /** with a tty everything arrives on stdout and this stream ends empty */
  stderr: Readable;
  /** the container's terminal size; only meaningful with a tty */
  resize(width: number, height: number): Promise<void>;
  /** resolves when the attachment ends: the container exited, or the engine closed it */
  ended: Promise<void>;
  /** leaves the container running as it is and drops the connection */
  detach(): void;
}

export interface LogsOptions {
  follow?: boolean;
  /** last N lines */
  tail?: number;
  /** each line starts with an RFC3339Nano time and a space */
  timestamps?: boolean;
  /** unix seconds */
  since?: number;
}

export interface NetworkOptions {
  name: string;
  subnet: string;
  gateway: string;
  /** where the engine may pick addresses by itself (e.g. node IPs); the rest stays free for
   * addresses mk asks for explicitly (pod IPs) */
  ipRange?: string;
  labels: Record<string, string>;
}

export interface RuntimeEvent {
  /** `start`, `die`, `destroy`, `oom`, … as Docker says */
  action: string;
  id: string;
  labels: Record<string, string>;
  /** exit code on `die` */
  exitCode?: number;
  time: Date;
}

export interface Runtime {
  /** UserError with a hint when no engine answers */
  ping(): Promise<void>;
  /** the engine's version (Docker's `Server Version`, e.g. 24.0.7): a node's container runtime version */
  version(): Promise<string>;
  /** creates the bridge network, or checks an existing one has the same subnet */
  ensureNetwork(o: NetworkOptions): Promise<void>;
  /** no error when it does not exist */
  removeNetwork(name: string): Promise<void>;
  /** subnets of every network of the engine, to choose a free private range */
  usedSubnets(): Promise<string[]>;
  /** creates the volume unless it exists (an existing one is left as it is) */
  ensureVolume(name: string, labels: Record<string, string>, o?: VolumeOptions): Promise<void>;
  /** the volumes carrying all the given labels */
  listVolumes(labels: Record<string, string>): Promise<VolumeSummary[]>;
  /** no error when it does not exist */
  removeVolume(name: string): Promise<void>;
  imageExists(ref: string): Promise<boolean>;
  listImages(labels?: Record<string, string>): Promise<ImageSummary[]>;
  /** context: a tar stream holding a Dockerfile; build errors are thrown */
  buildImage(context: NodeJS.ReadableStream, tag: string, labels?: Record<string, string>): Promise<void>;
  pullImage(ref: string): Promise<void>;
  /** no error when it does not exist */
  removeImage(ref: string): Promise<void>;
  /** `docker load`: a tar made by `docker save` (or saveImage); the loaded tags (or ids of
   * untagged images); an unreadable tar is thrown */
  loadImage(tar: NodeJS.ReadableStream): Promise<string[]>;
  /** `docker save REF`: the image as a tar stream; NotFoundError when there is no such image */
  saveImage(ref: string): Promise<Readable>;
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM (or the stop signal), then SIGKILL after timeoutSeconds; no error when already stopped */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** forced; no error when it does not exist */
  removeContainer(id: string): Promise<void>;
  /** containers carrying all the given labels; `all` includes stopped ones */
  listContainers(labels: Record<string, string>, all?: boolean): Promise<ContainerSummary[]>;
  /** NotFoundError when there is no such container */
  inspectContainer(id: string): Promise<ContainerState>;
  exec(id: string, cmd: string[], o?: ExecOptions): Promise<ExecSession>;
  /** `docker attach`: the running container's main process (stdout/stderr from now on);
   * Conflict when it is not running */
  attach(id: string, o?: AttachOptions): Promise<AttachSession>;
  /** stdout and stderr merged, as `kubectl logs` shows them */
  logs(id: string, o?: LogsOptions): Promise<Readable>;
  /** container events for containers carrying the labels, until the signal aborts */
  events(labels: Record<string, string>, signal: AbortSignal): AsyncIterable<RuntimeEvent>;
}
