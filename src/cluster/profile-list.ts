// `mk profile list`: minikube's table (Profile, VM Driver, Runtime, IP, Port, Version, Status,
// Nodes, Active) drawn with minikube's borders, one row per profile.
import type { Runtime } from '../runtime/types.ts';
import { findNodes } from './nodes.ts';
import { loadProfile } from './profile.ts';
import { allProfiles } from './lifecycle.ts';

export interface ProfileRow {
  profile: string;
  ip: string;
  version: string;
  /** Running | Stopped | Starting (some nodes down) | Unknown (no profile file) */
  status: string;
  nodes: number;
  active: boolean;
}

export async function profileRows(rt: Runtime, env: NodeJS.ProcessEnv, current: string | undefined): Promise<ProfileRow[]> {
  const rows: ProfileRow[] = [];
  for (const name of await allProfiles(rt, env)) {
    const p = (() => { try { return loadProfile(name, env); } catch { return undefined; } })();
    const nodes = await findNodes(rt, name);
    const running = nodes.filter((n) => n.running).length;
    const status = !p ? 'Unknown' : nodes.length === 0 ? 'Nonexistent' : running === nodes.length ? 'Running' : running === 0 ? 'Stopped' : 'Starting';
    rows.push({ profile: name, ip: p?.nodes[0]?.ip ?? '', version: p?.kubernetesVersion ?? '', status, nodes: nodes.length || p?.nodes.length || 0, active: name === current });
  }
  return rows;
}
