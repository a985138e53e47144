// Profile files: what `mk start` recorded about a cluster, one small JSON per profile under
// ~/.mk/profiles/<profile>.json (host ports, subnet, nodes). Docker labels stay the truth about
// what exists; the file keeps what cannot be read back cheaply (ports for `profile list`).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../lib/errors.ts';
import type { ProxyMode } from '../api/network.ts';

export interface ProfileNode {
  name: string;
  ip: string;
  role: 'control-plane' | 'worker';
  podCIDR: string;
}

export interface Profile {
  name: string;
  subnet: string;
  nodes: ProfileNode[];
  /** host ports on 127.0.0.1 */
  ports: { apiserver: number; http: number; https: number };
  /** the node image tag */
  image: string;
  /** the Kubernetes version the API server reports */
  kubernetesVersion: string;
  /** how the nodes' agents serve Services (absent from profiles older than the kernel mode: iptables) */
  proxyMode?: ProxyMode;
  createdAt: string;
}

export function mkHome(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME || homedir(), '.mk');
}

export function profilesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(mkHome(env), 'profiles');
}

const file = (name: string, env: NodeJS.ProcessEnv) => join(profilesDir(env), `${name}.json`);

export function saveProfile(p: Profile, env: NodeJS.ProcessEnv = process.env): void {
  mkdirSync(profilesDir(env), { recursive: true });
  writeFileSync(file(p.name, env), JSON.stringify(p, null, 2) + '\n');
}

/** undefined when there is no such profile */
export function loadProfile(name: string, env: NodeJS.ProcessEnv = process.env): Profile | undefined {
  const f = file(name, env);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as Profile;
  } catch (e) {
    throw new UserError(`the profile file ${f} is not valid JSON`, `Remove it with "mk delete -p ${name}".`, { cause: e });
  }
}

/** profile names, sorted */
export function listProfiles(env: NodeJS.ProcessEnv = process.env): string[] {
  let names: string[];
  try { names = readdirSync(profilesDir(env)); } catch { return []; }
  return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
}

export function deleteProfile(name: string, env: NodeJS.ProcessEnv = process.env): void {
  rmSync(file(name, env), { force: true });
}

/** The control plane's address as `mk start` recorded it; "not found" (exit code 85) without a profile. */
export function recordedControlPlaneIP(profile: string, env: NodeJS.ProcessEnv = process.env): string {
  const ip = loadProfile(profile, env)?.nodes.find((n) => n.role === 'control-plane')?.ip;
  if (!ip) throw new UserError(`profile "${profile}" not found`, `To start a cluster, run: "mk start -p ${profile}"`, { exitCode: 85 });
  return ip;
}
