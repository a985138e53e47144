// `mk get`: server-printed Tables rendered as kubectl renders them (so `mk get` prints what
// `kubectl get` prints), or full objects for -o yaml|json|name|jsonpath…|custom-columns…, and -w watches.
import { readFileSync } from 'node:fs';
import type { ResourceType } from '../api/resources.ts';
import { groupVersion, qualifiedSingular } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { ApiError } from '../api/status.ts';
import type { KubeClient, Table } from '../client/index.ts';
import { renderTable } from '../printers/index.ts';
import { apiErrorMessage, SilentExit } from './errors.ts';
import { UserError } from '../lib/errors.ts';
import { processOutput, type Output } from '../lib/output.ts';
import { parseTargets } from './targets.ts';
import type { Target } from './targets.ts';
import { asList, printObjects } from './format.ts';
import { compileJsonPath, executeJsonPath } from '../printers/jsonpath/index.ts';
import { parseCustomColumnsSpec, parseCustomColumnsTemplate, renderCustomColumns } from '../printers/custom-columns.ts';

export interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  output?: string; // wide | yaml | json | name | jsonpath[-as-json|-file]=… | custom-columns[-file]=…
  /** --allow-missing-template-keys (kubectl's default true). */
  allowMissingTemplateKeys?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  showLabels?: boolean;
  labelColumns?: string[];
  noHeaders?: boolean;
  watch?: boolean;
  signal?: AbortSignal;
}

/** The options `mk get`'s flags give. */
export function getOptions(f: {
  namespace?: string; 'all-namespaces'?: boolean; output?: string; 'allow-missing-template-keys'?: boolean; selector?: string;
  'field-selector'?: string; 'show-labels'?: boolean; 'label-columns'?: string[]; 'no-headers'?: boolean; watch?: boolean;
}): GetOptions {
  return {
    namespace: f.namespace,
    allNamespaces: f['all-namespaces'],
    output: f.output,
    allowMissingTemplateKeys: f['allow-missing-template-keys'],
    labelSelector: f.selector,
    fieldSelector: f['field-selector'],
    showLabels: f['show-labels'],
    labelColumns: f['label-columns']?.flatMap((l) => l.split(',')),
    noHeaders: f['no-headers'],
    watch: f.watch,
  };
}

/** Fills in kind/apiVersion that list items come without. */
export function withTypeMeta(r: ResourceType, o: KubeObject): KubeObject {
  return { ...o, apiVersion: o.apiVersion || groupVersion(r), kind: o.kind || r.kind };
}

/** kubectl names the namespace only when every type asked for is namespaced and -A is off. */
export function noResourcesMessage(ns: string, all: boolean | undefined, types: ResourceType[] = []): string {
  return all || types.some((r) => !r.namespaced) ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
}

export async function get(client: KubeClient, args: string[], o: GetOptions, io: Output = processOutput): Promise<void> {
  const targets = parseTargets(args);
  const fmt = o.output ?? '';
  const printer = objectPrinter(fmt, o);
  if (fmt && fmt !== 'wide' && !printer) {
    throw new UserError(`error: unable to match a printer suitable for the output format "${fmt}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`);
  }
  const failures: string[] = [];
  let listed: Listed = { rows: 0 };
  if (printer) await getObjects(client, targets, printer, o, io, failures);
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

/** Prints fetched objects; `error` is kubectl's text for a printer that failed (after `out`). */
interface ObjectPrinter {
  print(objs: KubeObject[], single: boolean): { out: string; error?: string };
  /** An empty result still prints (an empty List) instead of `No resources found`. */
  printsEmpty: boolean;
}

const TEMPLATE_FORMATS = ['jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'custom-columns', 'custom-columns-file'];

/** Go's os error words for a template file that cannot be read. */
function readTemplate(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new Error(`${code === 'EISDIR' ? 'read' : 'open'} ${path}: ${why}`);
  }
}

/** The printer for -o yaml|json|name and kubectl's template formats; undefined for tables. */
function objectPrinter(fmt: string, o: GetOptions): ObjectPrinter | undefined {
  if (fmt === 'yaml' || fmt === 'json' || fmt === 'name') return { printsEmpty: fmt !== 'name', print: (objs, single) => ({ out: printObjects(objs, fmt, single) }) };
  const eq = fmt.indexOf('=');
  const kind = eq < 0 ? fmt : fmt.slice(0, eq);
  if (!TEMPLATE_FORMATS.includes(kind)) return undefined;
  const arg = eq < 0 ? '' : fmt.slice(eq + 1);
  const fail = (message: string) => ({ out: '', error: `error: ${message}` });
  if (kind.startsWith('custom-columns')) {
    return {
      printsEmpty: true,
      print(objs) {
        let cc;
        try {
          if (kind === 'custom-columns') cc = parseCustomColumnsSpec(arg, o.noHeaders ?? false);
          else if (arg === '') throw new Error('custom-columns format specified but no custom columns given');
          else {
            let text: string;
            try {
              text = readTemplate(arg);
            } catch (e) {
              throw new Error(`error reading template ${arg}, ${(e as Error).message}`);
            }
            cc = parseCustomColumnsTemplate(text);
          }
        } catch (e) {
          return fail((e as Error).message);
        }
        const r = renderCustomColumns(cc, objs);
        return r.error === undefined ? r : { out: r.out, error: `error: ${r.error}` };
      },
    };
  }
  return {
    printsEmpty: true,
    print(objs, single) {
      try {
        if (arg === '') throw new Error('template format specified but no template given');
        let template = arg;
        if (kind === 'jsonpath-file') {
          try {
            template = readTemplate(arg);
          } catch (e) {
            throw new Error(`error reading --template ${arg}, ${(e as Error).message}`);
          }
        }
        const data = single && objs.length === 1 ? objs[0] : asList(objs);
        return { out: executeJsonPath(compileJsonPath(template), data, { allowMissingKeys: o.allowMissingTemplateKeys ?? true, outputJson: kind === 'jsonpath-as-json' }) };
      } catch (e) {
        return fail((e as Error).message);
      }
    },
  };
}

async function getObjects(client: KubeClient, targets: Target[], printer: ObjectPrinter, o: GetOptions, io: Output, failures: string[]): Promise<void> {
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
  if (objs.length === 0 && !(printer.printsEmpty && !single)) {
    io.err(noResourcesMessage(client.ns(o.namespace), o.allNamespaces, targets.map((t) => t.r)));
    return;
  }
  if (failures.length > 0) single = single && objs.length === 1;
  const printed = printer.print(objs, single);
  if (printed.out) io.out(printed.out);
  if (printed.error !== undefined) failures.push(printed.error);
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
