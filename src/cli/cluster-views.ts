// What the cluster commands print, from what src/cluster answers: minikube's status lines and
// exit code bits, `mk node list`, `mk image ls`, and the bordered tables of `mk profile list` and
// `mk addons list`.
import { APISERVER_PORT } from '../api/network.ts';
import type { AddonRow, NodeStatus, ProfileRow } from '../cluster/index.ts';

export function renderStatus(nodes: NodeStatus[], profile: string): string {
  return nodes.map((n) => {
    const lines = [n.name, `type: ${n.controlPlane ? 'Control Plane' : 'Worker'}`, `host: ${n.host}`, `kubelet: ${n.kubelet}`];
    if (n.controlPlane) lines.push(`apiserver: ${n.apiserver ?? 'Stopped'}`, `kubeconfig: ${n.kubeconfig ?? 'Stopped'}`);
    const text = lines.join('\n') + '\n\n';
    // minikube's words, but for the VM mk does not have
    if (n.kubeconfig === 'Misconfigured') return `${text}\nWARNING: Your kubectl is pointing to a stale address of "${profile}".\nTo fix the kubectl context, run \`mk update-context -p ${profile}\`\n`;
    return text;
  }).join('');
}

/** minikube's exit code: bit 0 a host down, bit 1 kubelet/apiserver down, bit 2 kubeconfig not configured */
export function statusExitCode(nodes: NodeStatus[]): number {
  let code = 0;
  for (const n of nodes) {
    if (n.host !== 'Running') code |= 1;
    if (n.kubelet !== 'Running' || (n.controlPlane && n.apiserver !== 'Running')) code |= 2;
    if (n.controlPlane && n.kubeconfig !== 'Configured') code |= 4;
  }
  return code;
}

/** minikube's `node list`: `<name>\t<ip>` per node */
export function renderNodeList(rows: Array<{ name: string; ip: string }>): string {
  return rows.map((r) => `${r.name}\t${r.ip}\n`).join('');
}

export function renderImageList(names: string[]): string {
  return names.map((n) => `${n}\n`).join('');
}

/** Columns on a terminal: an emoji (✅) takes two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /\p{Extended_Pictographic}/u.test(ch) ? 2 : 1;
  return w;
}

const pad = (s: string, w: number, align: 'left' | 'right' | 'center'): string => {
  const room = Math.max(0, w - displayWidth(s));
  if (align === 'right') return ' '.repeat(room) + s;
  if (align === 'left') return s + ' '.repeat(room);
  const left = Math.floor(room / 2);
  return ' '.repeat(left) + s + ' '.repeat(room - left);
};

/** minikube's bordered table (tablewriter): `|---|` rules, headers centered. */
function minikubeTable(head: string[], rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((c) => displayWidth(c[i]!))));
  const rule = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|\n';
  const line = (c: string[], isHead: boolean) => '|' + c.map((s, i) => ` ${pad(s, widths[i]!, isHead ? 'center' : rightAligned.has(i) ? 'right' : 'left')} `).join('|') + '|\n';
  return rule + line(head, true) + rule + rows.map((c) => line(c, false)).join('') + rule;
}

/** `mk profile list`. */
export function renderProfiles(rows: ProfileRow[]): string {
  const head = ['Profile', 'VM Driver', 'Runtime', 'IP', 'Port', 'Version', 'Status', 'Nodes', 'Active'];
  const cells = rows.map((r) => [r.profile, 'docker', 'docker', r.ip, String(APISERVER_PORT), r.version, r.status, String(r.nodes), r.active ? '*' : '']);
  return minikubeTable(head, cells, new Set([4, 7]));
}

/** `mk addons list`: minikube's columns, `enabled ✅` for an enabled addon. */
export function renderAddons(rows: AddonRow[], profile: string): string {
  return minikubeTable(['ADDON NAME', 'PROFILE', 'STATUS', 'MAINTAINER'], rows.map((r) => [r.name, profile, r.status === 'enabled' ? 'enabled ✅' : 'disabled', r.maintainer]));
}

/** `mk addons list -o json`: minikube's map of addon → {Profile, Status}. */
export function addonsJson(rows: AddonRow[], profile: string): string {
  return JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, { Profile: profile, Status: r.status }]))) + '\n';
}
