// `mk profile list`: minikube's table (Profile, VM Driver, Runtime, IP, Port, Version, Status,
// Nodes, Active) drawn with minikube's borders, one row per profile.
import type { Runtime } from '../runtime/types.ts';
import { APISERVER_PORT } from '../api/network.ts';
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

const HEAD = ['Profile', 'VM Driver', 'Runtime', 'IP', 'Port', 'Version', 'Status', 'Nodes', 'Active'];

export function renderProfiles(rows: ProfileRow[]): string {
  const cells = rows.map((r) => [r.profile, 'docker', 'docker', r.ip, String(APISERVER_PORT), r.version, r.status, String(r.nodes), r.active ? '*' : '']);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const rule = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|\n';
  const center = (s: string, w: number) => {
    const left = Math.floor((w - s.length) / 2);
    return ' '.repeat(left) + s + ' '.repeat(w - s.length - left);
  };
  const numeric = new Set([4, 7]);
  const line = (c: string[], head: boolean) => '|' + c.map((s, i) => ` ${head ? center(s, widths[i]!) : numeric.has(i) ? s.padStart(widths[i]!) : s.padEnd(widths[i]!)} `).join('|') + '|\n';
  return rule + line(HEAD, true) + rule + cells.map((c) => line(c, false)).join('') + rule;
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
