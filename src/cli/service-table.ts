// The URLs minikube's `service` prints for a Service and its `|`-bordered table (minikube
// renders with olekukonko/tablewriter: headers centred, numbers right-aligned, other cells left).
import type { KubeObject } from '../api/types.ts';

export interface ServiceUrls {
  namespace: string;
  name: string;
  /** per URL: `http/80` for a named port, `80` otherwise (minikube's TARGET PORT column) */
  portNames: string[];
  urls: string[];
}

type SvcPort = { name?: string; port: number; nodePort?: number };

/** `http://<ip>:<nodePort>` for each port that has a nodePort (NodePort and LoadBalancer). */
export function serviceUrls(svc: KubeObject, nodeIp: string, scheme = 'http'): ServiceUrls {
  const ports = (svc.spec?.ports ?? []) as SvcPort[];
  const out: ServiceUrls = { namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name ?? '', portNames: [], urls: [] };
  for (const p of ports) {
    if (!p.nodePort) continue;
    out.portNames.push(p.name ? `${p.name}/${p.port}` : String(p.port));
    out.urls.push(`${scheme}://${nodeIp}:${p.nodePort}`);
  }
  return out;
}

const NUMERIC = /^-?\d+\.?\d*$/;

/** A tablewriter table as minikube configures it: `|` borders and corners, one space of padding. */
export function renderTable(header: string[], rows: string[][]): string {
  const cellLines = (s: string) => s.split('\n');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.flatMap((r) => cellLines(r[i] ?? '').map((l) => l.length))));
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`;
  const centre = (s: string, w: number) => {
    const gap = w + 2 - s.length;
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + s + ' '.repeat(gap - left);
  };
  // alignment is decided on the whole cell, as tablewriter does: `80\n443` is text
  const cell = (whole: string, s: string, w: number) => (NUMERIC.test(whole) ? ` ${s.padStart(w)} ` : ` ${s.padEnd(w)} `);
  let t = sep + `|${header.map((h, i) => centre(h, widths[i]!)).join('|')}|\n` + sep;
  for (const r of rows) {
    const height = Math.max(1, ...r.map((c) => cellLines(c).length));
    for (let line = 0; line < height; line++) {
      t += `|${widths.map((w, i) => cell(r[i] ?? '', cellLines(r[i] ?? '')[line] ?? '', w)).join('|')}|\n`;
    }
  }
  return t + sep;
}

export const SERVICE_HEADER = ['NAMESPACE', 'NAME', 'TARGET PORT', 'URL'];

/** `mk service list`: one row per Service; those without node ports say so. */
export function serviceListTable(list: ServiceUrls[]): string {
  const rows = list.map((s) => (s.urls.length === 0 ? [s.namespace, s.name, 'No node port', ''] : [s.namespace, s.name, s.portNames.join('\n'), s.urls.join('\n')]));
  return renderTable(SERVICE_HEADER, rows);
}

/** `mk service NAME`: the Service's row (minikube puts `No node port` under URL here). */
export function serviceTable(s: ServiceUrls): string {
  const row = s.urls.length === 0 ? [s.namespace, s.name, '', 'No node port'] : [s.namespace, s.name, s.portNames.join('\n'), s.urls.join('\n')];
  return renderTable(SERVICE_HEADER, [row]);
}
