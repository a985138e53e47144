// `mk get`: server-printed Tables rendered as kubectl renders them (so `mk get` prints what
// `kubectl get` prints), or full objects for -o yaml|json|name, and -w watches.
import type { ResourceType } from '../api/resources.ts';
import { groupVersion, qualifiedSingular } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { ApiError } from '../api/status.ts';
import type { KubeClient, Table } from '../client/index.ts';
import { renderTable } from '../printers/index.ts';
import { apiErrorMessage, SilentExit } from './errors.ts';
import { UserError } from '../lib/errors.ts';
import type { Output } from './io.ts';
import { parseTargets } from './targets.ts';
import type { Target } from './targets.ts';
import { printObjects } from './format.ts';
import type { OutputFormat } from './format.ts';

export interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  output?: string; // wide | yaml | json | name
  labelSelector?: string;
  fieldSelector?: string;
  showLabels?: boolean;
  labelColumns?: string[];
  noHeaders?: boolean;
  watch?: boolean;
  signal?: AbortSignal;
}

/** Fills in kind/apiVersion that list items come without. */
export function withTypeMeta(r: ResourceType, o: KubeObject): KubeObject {
  return { ...o, apiVersion: o.apiVersion || groupVersion(r), kind: o.kind || r.kind };
}

/** kubectl names the namespace only when every type asked for is namespaced and -A is off. */
export function noResourcesMessage(ns: string, all: boolean | undefined, types: ResourceType[] = []): string {
  return all || types.some((r) => !r.namespaced) ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
}

export async function get(client: KubeClient, args: string[], o: GetOptions, io: Output): Promise<void> {
  const targets = parseTargets(args);
  const fmt = o.output ?? '';
  if (fmt && !['wide', 'yaml', 'json', 'name'].includes(fmt)) {
    throw new UserError(`error: unable to match a printer suitable for the output format "${fmt}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`);
  }
  const failures: string[] = [];
  let listed: Listed = { rows: 0 };
  if (fmt === 'yaml' || fmt === 'json' || fmt === 'name') await getObjects(client, targets, fmt, o, io, failures);
  else listed = await getTables(client, targets, o, io, failures);
  for (const f of failures) io.err(`${f}\n`);
  if (o.watch && failures.length === 0) await watchTargets(client, targets, o, io, listed);
  if (failures.length > 0) throw new SilentExit(1);
}

async function fetchOne<T>(p: Promise<T>, failures: string[]): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError) {
      failures.push(apiErrorMessage(e));
      return undefined;
    }
    throw e;
  }
}

async function getObjects(client: KubeClient, targets: Target[], fmt: OutputFormat, o: GetOptions, io: Output, failures: string[]): Promise<void> {
  const objs: KubeObject[] = [];
  let single = targets.length === 1 && targets[0]!.names.length === 1;
  for (const t of targets) {
    if (t.names.length > 0) {
      for (const name of t.names) {
        const obj = await fetchOne(client.get(t.r, o.namespace, name), failures);
        if (obj) objs.push(withTypeMeta(t.r, obj));
      }
    } else {
      const list = await client.list(t.r, { namespace: o.namespace, allNamespaces: o.allNamespaces, labelSelector: o.labelSelector, fieldSelector: o.fieldSelector });
      objs.push(...list.items.map((i) => withTypeMeta(t.r, i)));
    }
  }
  if (objs.length === 0 && failures.length > 0) return;
  if (objs.length === 0) {
    if (fmt !== 'name' && !single) io.out(printObjects([], fmt, false));
    else io.err(noResourcesMessage(client.ns(o.namespace), o.allNamespaces, targets.map((t) => t.r)));
    return;
  }
  if (failures.length > 0) single = single && objs.length === 1;
  io.out(printObjects(objs, fmt, single));
}

/** What the first listing saw: where a watch starts from, and whether headers were printed. */
interface Listed {
  resourceVersion?: string;
  rows: number;
}

async function getTables(client: KubeClient, targets: Target[], o: GetOptions, io: Output, failures: string[]): Promise<Listed> {
  const withKind = targets.length > 1;
  const blocks: string[] = [];
  const listed: Listed = { rows: 0 };
  for (const t of targets) {
    let table: Table | undefined;
    if (t.names.length > 0) {
      for (const name of t.names) {
        const one = await fetchOne(client.getTable(t.r, { namespace: o.namespace, name }), failures);
        if (!one) continue;
        if (table) table.rows.push(...one.rows);
        else table = one;
      }
    } else {
      table = await client.getTable(t.r, { namespace: o.namespace, allNamespaces: o.allNamespaces, labelSelector: o.labelSelector, fieldSelector: o.fieldSelector });
    }
    if (t === targets[0] && table) listed.resourceVersion = table.metadata.resourceVersion;
    if (!table || table.rows.length === 0) continue;
    listed.rows += table.rows.length;
    blocks.push(
      renderTable(table as never, {
        wide: o.output === 'wide',
        showLabels: o.showLabels,
        withNamespace: o.allNamespaces && t.r.namespaced,
        noHeaders: o.noHeaders,
        withKind: withKind ? qualifiedSingular(t.r) : undefined,
        labelColumns: o.labelColumns,
      }),
    );
  }
  if (blocks.length > 0) io.out(blocks.join('\n'));
  else if (failures.length === 0 && !o.watch) io.err(noResourcesMessage(client.ns(o.namespace), o.allNamespaces, targets.map((t) => t.r)));
  return listed;
}

/** `-w`: after the first listing, one row per event, as kubectl prints them. */
async function watchTargets(client: KubeClient, targets: Target[], o: GetOptions, io: Output, listed: Listed): Promise<void> {
  const t = targets[0]!;
  const resourceVersion = listed.resourceVersion ?? (await client.list(t.r, { namespace: o.namespace, allNamespaces: o.allNamespaces, labelSelector: o.labelSelector, limit: 1 })).metadata.resourceVersion;
  const name = t.names.length === 1 ? t.names[0] : undefined;
  let headers = listed.rows === 0;
  for await (const ev of client.watch(t.r, {
    namespace: o.namespace,
    allNamespaces: o.allNamespaces,
    labelSelector: o.labelSelector,
    name,
    resourceVersion,
    table: true,
    signal: o.signal,
  })) {
    if (ev.type === 'BOOKMARK') continue;
    const table = ev.object as unknown as Table;
    if (!table.rows) continue;
    io.out(renderTable(table as never, { wide: o.output === 'wide', showLabels: o.showLabels, withNamespace: o.allNamespaces && t.r.namespaced, noHeaders: !headers || o.noHeaders, labelColumns: o.labelColumns }));
    headers = false;
  }
}
