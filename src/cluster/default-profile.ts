// Which cluster a command means when it is given no -p: the one place that decides.
//   1. the current kubectl context, when it is a cluster mk runs: a profile of that name exists
//      and the context carries mk's kubeconfig extension, or its server is the profile's
//      recorded API server address;
//   2. else the profile `mk profile NAME` set (~/.mk/config.json);
//   3. else `mk`.
// So after `mk start -p foo` (which makes `foo` the current context) every profile command acts
// on foo, and `kubectl config use-context` moves both kubectl and mk. Nothing here needs Docker.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasMkExtension, kubeconfigPath, readConfig, setCurrentContext, type KubeConfig } from '../kubeconfig/index.ts';
import { DEFAULT_PROFILE } from './names.ts';
import { loadProfile, mkHome, type Profile } from './profile.ts';

export interface ProfileEnv {
  env: NodeJS.ProcessEnv;
  /** the kubeconfig file (default: $KUBECONFIG's first file or ~/.kube/config) */
  kubeconfig?: string;
}

const configFile = (env: NodeJS.ProcessEnv) => join(mkHome(env), 'config.json');

function quietly<T>(f: () => T): T | undefined {
  try { return f(); } catch { return undefined; }
}

/** True when context `name` of `cfg` is the context of the mk cluster (profile) `name`. */
export function isMkContext(cfg: KubeConfig, name: string, profile: Profile | undefined): boolean {
  if (!profile) return false;
  if (hasMkExtension(cfg, name)) return true;
  const ctx = cfg.contexts.find((c) => c.name === name);
  const server = ctx && cfg.clusters.find((c) => c.name === ctx.context.cluster)?.cluster.server;
  return server === `https://127.0.0.1:${profile.ports.apiserver}`;
}

/** The profile of the current kubectl context, when that context is an mk cluster's. */
export function currentContextProfile(o: ProfileEnv): string | undefined {
  const cfg = quietly(() => readConfig(o.kubeconfig ?? kubeconfigPath(o.env)));
  const name = cfg?.['current-context'];
  if (!cfg || !name) return undefined;
  return isMkContext(cfg, name, quietly(() => loadProfile(name, o.env))) ? name : undefined;
}

/** What `mk profile NAME` recorded, if anything. */
export function savedProfile(env: NodeJS.ProcessEnv): string | undefined {
  const f = configFile(env);
  if (!existsSync(f)) return undefined;
  const p = quietly(() => (JSON.parse(readFileSync(f, 'utf8')) as { profile?: unknown }).profile);
  return typeof p === 'string' && p ? p : undefined;
}

export function saveDefaultProfile(name: string, env: NodeJS.ProcessEnv): void {
  const f = configFile(env);
  const cfg = quietly(() => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>) ?? {};
  mkdirSync(mkHome(env), { recursive: true });
  writeFileSync(f, JSON.stringify({ ...cfg, profile: name }, null, 2) + '\n');
}

/** The profile a command acts on without -p. */
export function defaultProfile(o: ProfileEnv): string {
  return currentContextProfile(o) ?? savedProfile(o.env) ?? DEFAULT_PROFILE;
}

/** -p when given, else the default profile. */
export function resolveProfile(flag: string | undefined, o: ProfileEnv): string {
  return flag ?? defaultProfile(o);
}

/** `mk profile NAME`: when a cluster of that name was started, record it as the default and make
 * its kubectl context current (contextSet false when the kubeconfig has no such context). */
export function useProfile(name: string, o: ProfileEnv): { known: boolean; contextSet: boolean; kubeconfig: string } {
  const kubeconfig = o.kubeconfig ?? kubeconfigPath(o.env);
  if (!loadProfile(name, o.env)) return { known: false, contextSet: false, kubeconfig };
  saveDefaultProfile(name, o.env);
  return { known: true, contextSet: setCurrentContext(kubeconfig, name), kubeconfig };
}
