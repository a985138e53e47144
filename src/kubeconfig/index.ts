// The user's kubeconfig: find it ($KUBECONFIG's first file, else ~/.kube/config), read it,
// merge or remove mk's cluster/user/context entries (named for the profile), write it back
// with mode 0600 keeping every other entry as it was. The entries `mk start` writes carry an
// extension naming mk as their provider (as minikube's cluster_info / context_info do), which is
// how mk tells its clusters' contexts from others. Knows nothing about HTTP.
import { mkdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { dirname, join, delimiter } from 'node:path';
import { homedir } from 'node:os';
import { parse, stringify } from 'yaml';
import { UserError } from '../lib/errors.ts';

export interface NamedCluster {
  name: string;
  cluster: { server: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean; [k: string]: unknown };
}
export interface NamedUser {
  name: string;
  user: { token?: string; [k: string]: unknown };
}
export interface NamedContext {
  name: string;
  context: { cluster: string; user: string; namespace?: string; [k: string]: unknown };
}
export interface KubeConfig {
  apiVersion: string;
  kind: string;
  clusters: NamedCluster[];
  users: NamedUser[];
  contexts: NamedContext[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [k: string]: unknown;
}

/** The extension mk puts on the cluster and context entries of the clusters it runs. */
export interface MkExtension {
  provider: typeof MK_PROVIDER;
  version: string;
  /** what serves the context: a cluster `mk start` made, or an `mk apiserver` in the foreground */
  server?: 'cluster' | 'apiserver';
}
export const MK_PROVIDER = 'mk';
const CLUSTER_EXTENSION = 'cluster_info';
const CONTEXT_EXTENSION = 'context_info';

interface NamedExtension { name: string; extension: Record<string, unknown> }

/** What mk knows about one cluster, enough for one kubeconfig entry triple. */
export interface ClusterAccess {
  profile: string;
  server: string;
  caPem: string;
  token: string;
  namespace?: string;
  /** marks the entries as a cluster mk runs (`mk start`); none for other servers (`mk apiserver`) */
  extension?: MkExtension;
}

/** The context a client connects with, resolved from a config. */
export interface ResolvedContext {
  name: string;
  server: string;
  caPem?: string;
  token?: string;
  insecure: boolean;
  namespace: string;
}

export function kubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (list.length > 0) return list[0]!;
  return join(env.HOME || homedir(), '.kube', 'config');
}

export function emptyConfig(): KubeConfig {
  return { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [], 'current-context': '', preferences: {} };
}

export function readConfig(path: string): KubeConfig {
  if (!existsSync(path)) return emptyConfig();
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`error loading config file "${path}": ${(e as Error).message}`, 'fix or remove the file', { cause: e });
  }
  if (doc === null || doc === undefined) return emptyConfig();
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`error loading config file "${path}": not a kubeconfig`);
  const c = doc as Partial<KubeConfig>;
  return { ...emptyConfig(), ...c, clusters: c.clusters ?? [], users: c.users ?? [], contexts: c.contexts ?? [] } as KubeConfig;
}

export function writeConfig(path: string, cfg: KubeConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, stringify(cfg), { mode: 0o600 });
  chmodSync(path, 0o600);
}

function upsert<T extends { name: string }>(list: T[], entry: T): T[] {
  const i = list.findIndex((e) => e.name === entry.name);
  if (i < 0) return [...list, entry];
  const out = [...list];
  out[i] = entry;
  return out;
}

/** Adds or replaces the profile's cluster, user and context; makes it current unless told not to. */
export function mergeCluster(cfg: KubeConfig, a: ClusterAccess, opts: { makeCurrent?: boolean } = {}): KubeConfig {
  const name = a.profile;
  const ext = (n: string): { extensions?: NamedExtension[] } => (a.extension ? { extensions: [{ name: n, extension: { ...a.extension } }] } : {});
  const out: KubeConfig = {
    ...cfg,
    clusters: upsert(cfg.clusters, { name, cluster: { 'certificate-authority-data': Buffer.from(a.caPem).toString('base64'), ...ext(CLUSTER_EXTENSION), server: a.server } }),
    users: upsert(cfg.users, { name, user: { token: a.token } }),
    contexts: upsert(cfg.contexts, { name, context: { cluster: name, ...ext(CONTEXT_EXTENSION), namespace: a.namespace ?? 'default', user: name } }),
  };
  if (opts.makeCurrent !== false) out['current-context'] = name;
  return out;
}

/** True when the context `name` is one `mk start` wrote (it carries mk's extension). */
export function hasMkExtension(cfg: KubeConfig, name: string): boolean {
  const ext = mkExtensionOf(cfg, name);
  return ext !== undefined && ext.server !== 'apiserver';
}

/** The mk extension on context `name` (or its cluster entry), if any. */
export function mkExtensionOf(cfg: KubeConfig, name: string): MkExtension | undefined {
  const ctx = cfg.contexts.find((c) => c.name === name);
  if (!ctx) return undefined;
  const cluster = cfg.clusters.find((c) => c.name === ctx.context.cluster);
  const find = (list: unknown) => (Array.isArray(list) ? list.find((e: Partial<NamedExtension> | null) => e?.extension?.provider === MK_PROVIDER)?.extension : undefined);
  return (find(ctx.context.extensions) ?? find(cluster?.cluster.extensions)) as MkExtension | undefined;
}

/** Makes `name` the current context; false when there is no such context. */
export function setCurrentContext(path: string, name: string): boolean {
  const cfg = readConfig(path);
  if (!cfg.contexts.some((c) => c.name === name)) return false;
  if (cfg['current-context'] !== name) writeConfig(path, { ...cfg, 'current-context': name });
  return true;
}

/** Drops the profile's entries; clears current-context if it pointed there. */
export function removeCluster(cfg: KubeConfig, profile: string): KubeConfig {
  const out: KubeConfig = {
    ...cfg,
    clusters: cfg.clusters.filter((c) => c.name !== profile),
    users: cfg.users.filter((u) => u.name !== profile),
    contexts: cfg.contexts.filter((c) => c.name !== profile),
  };
  if (out['current-context'] === profile) out['current-context'] = '';
  return out;
}

/** Reads, merges and writes back in one step. Returns the path written. */
export function saveClusterAccess(a: ClusterAccess, opts: { path?: string; makeCurrent?: boolean } = {}): string {
  const path = opts.path ?? kubeconfigPath();
  writeConfig(path, mergeCluster(readConfig(path), a, opts));
  return path;
}

export function deleteClusterAccess(profile: string, opts: { path?: string } = {}): string {
  const path = opts.path ?? kubeconfigPath();
  if (existsSync(path)) writeConfig(path, removeCluster(readConfig(path), profile));
  return path;
}

/** Picks the context (given or current) and turns it into connection settings. */
export function resolveContext(cfg: KubeConfig, contextName?: string): ResolvedContext {
  const name = contextName || cfg['current-context'];
  if (!name) throw new UserError('error: current-context is not set', 'start a cluster with `mk start`, or pick one with --context');
  const ctx = cfg.contexts.find((c) => c.name === name);
  if (!ctx) throw new UserError(`error: context "${name}" does not exist`);
  const cluster = cfg.clusters.find((c) => c.name === ctx.context.cluster);
  if (!cluster) throw new UserError(`error: cluster "${ctx.context.cluster}" of context "${name}" does not exist`);
  const user = cfg.users.find((u) => u.name === ctx.context.user);
  const caData = cluster.cluster['certificate-authority-data'];
  const caFile = cluster.cluster['certificate-authority'];
  const caPem = caData ? Buffer.from(caData, 'base64').toString('utf8') : typeof caFile === 'string' ? readFileSync(caFile, 'utf8') : undefined;
  return {
    name,
    server: cluster.cluster.server,
    caPem,
    token: user?.user.token,
    insecure: cluster.cluster['insecure-skip-tls-verify'] === true,
    namespace: ctx.context.namespace || 'default',
  };
}
