// kubectl describe's output machinery: a PrefixWriter (indent levels of two spaces) feeding a
// Go tabwriter with minwidth 0, padding 2, plus the helpers every describer shares
// (multi-line labels/annotations, the Events table, RFC 1123 times).

import type { KubeObject } from '../../api/types.ts';
import { ageSince } from '../age.ts';
import { tabwrite } from '../tabwriter.ts';

export class DescribeWriter {
  private text = '';
  private done = '';

  /** Writes one formatted piece at an indent level (kubectl's w.Write(LEVEL_n, ...)). */
  write(level: number, s: string): void {
    this.text += '  '.repeat(level) + s;
  }

  /** Ends the current alignment segment (kubectl's w.Flush()). */
  flush(): void {
    if (this.text) {
      const lines = this.text.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
      this.done += tabwrite(lines, { minWidth: 0, padding: 2 });
      if (!this.text.endsWith('\n')) this.done = this.done.replace(/\n$/, '');
    }
    this.text = '';
  }

  toString(): string {
    this.flush();
    return this.done;
  }
}

/** printLabelsMultiline: `Labels:\tk=v` then one `\tk=v` per further key, or `<none>`. */
export function writeLabels(w: DescribeWriter, title: string, labels: Record<string, string> | undefined, level = 0): void {
  const keys = Object.keys(labels ?? {}).sort();
  w.write(level, `${title}:\t`);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((k, i) => {
    if (i > 0) w.write(level, '\t');
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

/** printAnnotationsMultiline: `k: v` per key (sorted), long values cut as kubectl does. */
export function writeAnnotations(w: DescribeWriter, title: string, annotations: Record<string, string> | undefined, level = 0): void {
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration').sort();
  w.write(level, `${title}:\t`);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((k, i) => {
    if (i > 0) w.write(level, '\t');
    const v = annotations![k]!;
    const maxLen = 140;
    if (v.length > maxLen || v.includes('\n')) {
      w.write(0, `${k}:\n`);
      const cut = v.length > maxLen ? v.slice(0, maxLen - 3) + '...' : v;
      w.write(level + 1, `${cut}\n`);
    } else {
      w.write(0, `${k}: ${v}\n`);
    }
  });
}

/** time.RFC1123Z in the local zone, as kubectl prints metav1.Time. */
export function rfc1123z(ts: string | undefined): string {
  const d = ts ? new Date(ts) : new Date(Date.UTC(1, 0, 1));
  if (!ts) d.setUTCFullYear(1);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const offset = ts ? -d.getTimezoneOffset() : 0;
  const local = new Date(d.getTime() + offset * 60_000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${days[local.getUTCDay()]}, ${p2(local.getUTCDate())} ${months[local.getUTCMonth()]} ${String(local.getUTCFullYear()).padStart(4, '0')} ` +
    `${p2(local.getUTCHours())}:${p2(local.getUTCMinutes())}:${p2(local.getUTCSeconds())} ${sign}${p2(Math.trunc(abs / 60))}${p2(abs % 60)}`;
}

/** DescribeEvents: `Events:\t<none>` or the Type/Reason/Age/From/Message table, oldest first. */
export function writeEvents(w: DescribeWriter, events: KubeObject[] | undefined, now: Date): void {
  if (!events || events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const last = (e: KubeObject): number => Date.parse(e.lastTimestamp ?? '') || 0;
  const sorted = [...events].sort((a, b) => last(a) - last(b));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? ageSince(e.eventTime, now) : ageSince(e.firstTimestamp, now);
    let interval = first;
    if (e.series) interval = `${ageSince(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${ageSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingController || '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${String(e.message ?? '').trim()}\n`);
  }
}

/** `Kind/name` of the controlling owner, for `Controlled By:`. */
export function controllerOf(obj: KubeObject): string | undefined {
  const o = (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
  return o ? `${o.kind}/${o.name}` : undefined;
}
