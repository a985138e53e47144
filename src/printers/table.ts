// The server-side Table (meta.k8s.io/v1) and kubectl's rendering of it. The API server sends
// Tables built by ./index.ts; kubectl (and mk get) print them with renderTable's rules:
// header in upper case, priority>0 columns only with -o wide, NAMESPACE first with -A,
// -L label columns and LABELS last, all aligned by kubectl's tabwriter.

import { tabwrite } from './tabwriter.ts';

export interface TableColumnDefinition { name: string; type: string; format: string; description: string; priority: number }
export interface TableRow { cells: unknown[]; object: unknown }
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface RenderOptions {
  wide?: boolean;
  showLabels?: boolean;
  withNamespace?: boolean;
  noHeaders?: boolean;
  /** e.g. 'service' or 'deployment.apps': the first cell is printed `service/kubia` (as in `get all`). */
  withKind?: string;
  /** -L: one column per label key, header = upper-cased last path segment of the key. */
  labelColumns?: string[];
}

/** labels.FormatLabels: sorted `k=v` joined with ',', `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

function rowMetadata(row: TableRow): { namespace?: string; labels?: Record<string, string> } {
  const obj = row.object as { metadata?: { namespace?: string; labels?: Record<string, string> } } | null | undefined;
  return obj?.metadata ?? {};
}

/** fmt.Sprint of a cell, cut at the first line break with `...` as kubectl does. */
function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  let s = typeof cell === 'string' ? cell : typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
  const cut = s.search(/[\f\n\r]/);
  if (cut >= 0) s = s.slice(0, cut) + '...';
  return s;
}

export function renderTable(table: Table, opts: RenderOptions = {}): string {
  if (table.rows.length === 0) return '';
  const shown = table.columnDefinitions
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => opts.wide || !c.priority);
  const labelKeys = opts.labelColumns ?? [];
  const lines: string[][] = [];
  if (!opts.noHeaders) {
    const header: string[] = [];
    if (opts.withNamespace) header.push('NAMESPACE');
    for (const { c } of shown) header.push(c.name.toUpperCase());
    for (const k of labelKeys) header.push(k.split('/').pop()!.toUpperCase());
    if (opts.showLabels) header.push('LABELS');
    lines.push(header);
  }
  for (const row of table.rows) {
    const meta = rowMetadata(row);
    const line: string[] = [];
    if (opts.withNamespace) line.push(meta.namespace ?? '');
    shown.forEach(({ i }, n) => {
      let text = cellText(row.cells[i]);
      if (n === 0 && opts.withKind) text = `${opts.withKind}/${text}`;
      line.push(text);
    });
    for (const k of labelKeys) line.push(meta.labels?.[k] ?? '');
    if (opts.showLabels) line.push(formatLabels(meta.labels));
    lines.push(line);
  }
  return tabwrite(lines);
}
