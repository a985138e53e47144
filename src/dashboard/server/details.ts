// The details pane's answer for one selected object: its YAML as `kubectl get -o yaml` prints it
// and its events as `kubectl describe` lists them (Type, Reason, Age, From, Message, oldest
// first), from the informers' caches. Only the kinds the map draws are served.
import type { KubeObject } from '../../api/types.ts';
import { toYaml } from '../../cli/format.ts';
import { ageSince } from '../../printers/age.ts';
import { SHOWN_KINDS } from './watch.ts';

export interface EventRow { type: string; reason: string; age: string; from: string; message: string }

export interface ObjectDetails { kind: string; namespace?: string; name: string; yaml: string; events: EventRow[] }

export interface DetailsSource {
  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  eventsAbout(obj: KubeObject): KubeObject[];
}

/** kubectl describe's event row (DescribeEvents): the age of the last occurrence, with its count. */
export function eventRow(e: KubeObject, now: Date): EventRow {
  const first = e.eventTime ? ageSince(e.eventTime, now) : ageSince(e.firstTimestamp, now);
  let age = first;
  if (e.series) age = `${ageSince(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
  else if ((e.count ?? 0) > 1) age = `${ageSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return { type: e.type ?? '', reason: e.reason ?? '', age, from: e.source?.component || e.reportingController || '', message: String(e.message ?? '').trim() };
}

const lastSeen = (e: KubeObject) => Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '') || 0;

/** The details of kind/namespace/name, or undefined when it is not (or no longer) there. */
export function objectDetails(src: DetailsSource, kind: string, namespace: string | undefined, name: string, now: Date = new Date()): ObjectDetails | undefined {
  const r = SHOWN_KINDS[kind];
  if (!r) return undefined;
  const obj = src.find(kind, r.namespaced ? namespace : undefined, name);
  if (!obj) return undefined;
  const doc = { ...obj, apiVersion: obj.apiVersion || (r.group ? `${r.group}/${r.version}` : r.version), kind: obj.kind || r.kind };
  const events = src.eventsAbout(doc).sort((a, b) => lastSeen(a) - lastSeen(b)).map((e) => eventRow(e, now));
  return { kind: r.kind, ...(r.namespaced ? { namespace } : {}), name, yaml: toYaml(doc), events };
}
