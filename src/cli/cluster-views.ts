// What the cluster commands print, from what src/cluster answers: minikube's status lines and
// exit code bits, `mk node list`, `mk image ls` and `mk profile list`'s bordered table.
import { APISERVER_PORT } from '../api/network.ts';
import type { NodeStatus, ProfileRow } from '../cluster/index.ts';

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
