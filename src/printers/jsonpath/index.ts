// kubectl's JSONPath (`-o jsonpath=…`, `jsonpath-as-json`, `jsonpath-file`, and the cells of
// custom-columns): compile a template once, execute it on a JSON object. Errors carry the
// texts kubectl prints (`error parsing jsonpath …`, `error executing jsonpath "…": …`). This
// module only evaluates: fetching objects and wrapping lists are the caller's job.
import { parseTemplate } from './parser.ts';
import type { ListNode } from './parser.ts';
import { findResults, printResults } from './eval.ts';
import { goQuote } from '../../lib/go-quote.ts';
import { goSyntax } from './gofmt.ts';
import type { GoValue } from './gofmt.ts';

export type { GoValue } from './gofmt.ts';
export { sprint, goJson } from './gofmt.ts';

export interface CompiledJsonPath {
  readonly template: string;
  readonly root: ListNode;
}

export interface JsonPathOptions {
  /** kubectl's --allow-missing-template-keys (default true): a missing key prints nothing. */
  allowMissingKeys?: boolean;
  /** -o jsonpath-as-json: each result set printed as an indented JSON array. */
  outputJson?: boolean;
}

/** Throws Error(`error parsing jsonpath TEMPLATE, REASON`) as kubectl reports bad syntax. */
export function compileJsonPath(template: string): CompiledJsonPath {
  try {
    return { template, root: parseTemplate(template) };
  } catch (e) {
    throw new Error(`error parsing jsonpath ${template}, ${(e as Error).message}`);
  }
}

/** The raw result sets (client-go FindResults); errors are the engine's own texts. */
export function findJsonPathResults(c: CompiledJsonPath, data: unknown, opts: JsonPathOptions = {}): GoValue[][] {
  return findResults(c.root.nodes, data as GoValue, { allowMissingKeys: opts.allowMissingKeys ?? true });
}

/** What kubectl's JSONPathPrinter writes for `data` (no newline added). */
export function executeJsonPath(c: CompiledJsonPath, data: unknown, opts: JsonPathOptions = {}): string {
  let sets: GoValue[][];
  try {
    sets = findJsonPathResults(c, data, opts);
  } catch (e) {
    const debug =
      `Error executing template: ${(e as Error).message}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${c.template}\n` +
      `\tobject given to jsonpath engine was:\n\t\t${goSyntax(data as GoValue)}\n\n`;
    throw new Error(`error executing jsonpath ${goQuote(c.template)}: ${debug}`);
  }
  return sets.map((r) => printResults(r, opts.outputJson ?? false)).join('');
}
