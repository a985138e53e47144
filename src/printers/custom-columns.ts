// kubectl's `-o custom-columns=NAME:.path,…` and `-o custom-columns-file=FILE`: column specs
// (RelaxedJSONPathExpression), one row per object (a List's items), values printed with Go's
// fmt and joined by commas, `<none>` when a path finds nothing, aligned by kubectl's tabwriter.
import { compileJsonPath, findJsonPathResults, sprint } from './jsonpath/index.ts';
import type { CompiledJsonPath } from './jsonpath/index.ts';
import { tabwrite } from './tabwriter.ts';

export interface CustomColumn { header: string; fieldSpec: string }
export interface CustomColumns { columns: CustomColumn[]; noHeaders: boolean }

const jsonRegexp = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/** `metadata.name`, `.metadata.name`, `{metadata.name}` and `{.metadata.name}` all become `{.metadata.name}`. */
export function relaxedJsonPathExpression(path: string): string {
  if (path === '') return path;
  const m = jsonRegexp.exec(path);
  if (!m) throw new Error("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] || m[2]}}`;
}

/** `-o custom-columns=SPEC`. */
export function parseCustomColumnsSpec(spec: string, noHeaders: boolean): CustomColumns {
  if (spec === '') throw new Error('custom-columns format specified but no custom columns given');
  const columns = spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i < 0) throw new Error(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, i), fieldSpec: relaxedJsonPathExpression(part.slice(i + 1)) };
  });
  return { columns, noHeaders };
}

const words = (line: string): string[] => line.split(/[\t\n\v\f\r \u0085\u00a0]+/).filter(Boolean);

/** `-o custom-columns-file`: a line of headers, a line of specs (headers always shown, as kubectl does). */
export function parseCustomColumnsTemplate(text: string): CustomColumns {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const hint = 'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (text === '' || lines.length < 1) throw new Error(`invalid template, missing header line. ${hint}`);
  if (lines.length < 2 || (lines.length === 2 && lines[1] === '')) throw new Error(`invalid template, missing spec line. ${hint}`);
  const headers = words(lines[0]!);
  const specs = words(lines[1]!);
  if (headers.length !== specs.length) throw new Error(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  return { columns: headers.map((header, i) => ({ header, fieldSpec: relaxedJsonPathExpression(specs[i]!) })), noHeaders: false };
}

const escapeTerminal = (s: string): string => s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');

/**
 * The table for `objects` (a List's items, or one object). A failing path stops the table
 * there, as kubectl does: `out` holds what was printed before, `error` the engine's text.
 */
export function renderCustomColumns(cc: CustomColumns, objects: unknown[]): { out: string; error?: string } {
  const lines: string[] = [];
  if (!cc.noHeaders) lines.push(cc.columns.map((c) => c.header).join('\t'));
  let error: string | undefined;
  let parsers: CompiledJsonPath[] | undefined = [];
  for (const c of cc.columns) {
    try {
      parsers.push(compileJsonPath(c.fieldSpec));
    } catch (e) {
      // kubectl shows the parser's own words here, without the `error parsing jsonpath` lead.
      error = (e as Error).message.slice(`error parsing jsonpath ${c.fieldSpec}, `.length);
      parsers = undefined;
      break;
    }
  }
  if (parsers) {
    try {
      for (const obj of objects) {
        const cells = parsers.map((p) => {
          const sets = findJsonPathResults(p, obj, { allowMissingKeys: true });
          if (sets.length === 0 || sets[0]!.length === 0) return ['<none>', ...sets.flat().map((v) => escapeTerminal(sprint(v)))].join(',');
          return sets.flat().map((v) => escapeTerminal(sprint(v))).join(',');
        });
        lines.push(cells.join('\t'));
      }
    } catch (e) {
      error = (e as Error).message;
    }
  }
  const text = lines.map((l) => `${l}\n`).join('');
  const out = text === '' ? '' : tabwrite(text.slice(0, -1).split('\n').map((l) => l.split('\t')));
  return error === undefined ? { out } : { out, error };
}
