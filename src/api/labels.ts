// Labels and label selectors, once for every room: the query form the API server parses
// (`app=web,tier in (a,b),!canary`, labels.Parse), the metav1.LabelSelector of Deployments and
// ReplicaSets (LabelSelectorAsSelector), the plain maps of Services and nodeSelectors
// (SelectorFromSet), matching them against an object's labels, and printing them as kubectl
// does (requirements sorted by key, values sorted).
import { errors } from './status.ts';
import { isQualifiedName, isValidLabelValue } from './validation/names.ts';
import { goQuote } from '../lib/go-quote.ts';

export type Labels = Record<string, string>;

/** Services with this label are served by another proxy: kube-proxy (and mk's kernel rules) skip them. */
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';

export interface LabelSelectorRequirement { key: string; operator: string; values?: string[] }
/** metav1.LabelSelector */
export interface LabelSelector { matchLabels?: Labels; matchExpressions?: LabelSelectorRequirement[] }

export type LabelOp = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';
/** One requirement of a parsed selector (labels.Requirement). */
export interface LabelRequirement { key: string; op: LabelOp; values: string[] }

// ---- the query form: labels.Parse -------------------------------------------------------

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

/** Commas outside parentheses split a selector (field selectors share the rule). */
export const splitSelector = splitTop;

/**
 * labels.NewRequirement's checks: the key is a qualified name (`[prefix/]name`, prefix a DNS
 * subdomain ≤ 253, name ≤ 63 characters), every value a label value, in/notin with values,
 * Gt/Lt values integers. A 400 with labels.Parse's words otherwise.
 */
function checkRequirement(req: LabelRequirement): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(req.key);
  if (keyErrs.length > 0) errs.push(`key: Invalid value: ${goQuote(req.key)}: ${keyErrs.join('; ')}`);
  if ((req.op === 'in' || req.op === 'notin') && req.values.length === 0) {
    errs.push(`values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`);
  }
  if ((req.op === '>' || req.op === '<') && !/^[+-]?\d+$/.test(req.values[0] ?? '')) {
    errs.push(`values[0]: Invalid value: ${goQuote(req.values[0] ?? '')}: for 'Gt', 'Lt' operators, the value must be an integer`);
  }
  req.values.forEach((v, i) => {
    const valErrs = isValidLabelValue(v);
    if (valErrs.length > 0) errs.push(`values[${i}][${req.key}]: Invalid value: ${goQuote(v)}: ${valErrs.join('; ')}`);
  });
  if (errs.length > 0) throw errors.badRequest(errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
  return req;
}

function parseRequirement(part: string): LabelRequirement {
  let m = /^!\s*([^\s=!<>(),]+)$/.exec(part);
  if (m) return { key: m[1]!, op: '!', values: [] };
  m = /^([^\s=!<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (m) return { key: m[1]!, op: m[2] as LabelOp, values: m[3]!.trim() === '' ? [] : m[3]!.split(',').map((v) => v.trim()) };
  m = /^([^\s=!<>(),]+)\s*(==|=|!=|>|<)\s*([^\s=!<>(),]*)$/.exec(part);
  if (m) return { key: m[1]!, op: (m[2] === '==' ? '=' : m[2]) as LabelOp, values: [m[3]!] };
  m = /^([^\s=!<>(),]+)$/.exec(part);
  if (m) return { key: m[1]!, op: 'exists', values: [] };
  throw errors.badRequest(`unable to parse requirement: found '${part}', expected: ',', '!=', '==', '=', 'in', 'notin'`);
}

/** labels.Parse: the `labelSelector` query parameter; a 400 Status when it does not parse. */
export function parseLabelSelector(text: string | null | undefined): LabelRequirement[] {
  if (!text) return [];
  return splitTop(text).map((part) => checkRequirement(parseRequirement(part)));
}

/** Do these labels satisfy every requirement? (an empty list selects everything) */
export function matchRequirements(reqs: readonly LabelRequirement[], labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=': if (!has || v !== r.values[0]) return false; break;
      case '!=': if (has && v === r.values[0]) return false; break;
      case 'in': if (!has || !r.values.includes(v!)) return false; break;
      case 'notin': if (has && r.values.includes(v!)) return false; break;
      case 'exists': if (!has) return false; break;
      case '!': if (has) return false; break;
      case '>': if (!has || !(Number(v) > Number(r.values[0]))) return false; break;
      case '<': if (!has || !(Number(v) < Number(r.values[0]))) return false; break;
    }
  }
  return true;
}

// ---- metav1.LabelSelector and plain maps --------------------------------------------------

const OPERATORS: Record<string, LabelOp> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * LabelSelectorAsSelector: the requirements of a metav1.LabelSelector. `undefined` for a missing
 * selector (it selects nothing) or one with an unknown operator (an error upstream, which
 * selects nothing either); `[]` for an empty one (it selects everything). Tolerates unchecked
 * input (validation runs it on bodies before their types are known).
 */
export function selectorRequirements(sel: unknown): LabelRequirement[] | undefined {
  if (!isObj(sel)) return undefined;
  const out: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(isObj(sel.matchLabels) ? sel.matchLabels : {})) out.push({ key: k, op: '=', values: [String(v)] });
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    if (!isObj(e)) return undefined;
    const op = OPERATORS[String(e.operator)];
    if (!op) return undefined;
    out.push({ key: String(e.key), op, values: Array.isArray(e.values) ? e.values.map(String) : [] });
  }
  return out;
}

/** Does a metav1.LabelSelector select these labels? (missing: no; empty: yes) */
export function selectorMatches(sel: LabelSelector | unknown, labels: Labels | undefined): boolean {
  const reqs = selectorRequirements(sel);
  return reqs !== undefined && matchRequirements(reqs, labels);
}

/** Does a Service selector or nodeSelector (a plain map) select these labels? Every pair must match. */
export function mapMatches(sel: Labels | undefined, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel ?? {})) if (l[k] !== v) return false;
  return true;
}

/** No matchLabels and no matchExpressions (it selects everything); a missing one counts as empty. */
export function isEmptySelector(sel: unknown): boolean {
  if (!isObj(sel)) return true;
  const labels = isObj(sel.matchLabels) ? Object.keys(sel.matchLabels).length : 0;
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0;
  return labels + exprs === 0;
}

// ---- printing -----------------------------------------------------------------------------

function requirementText(r: LabelRequirement): string {
  const values = [...r.values].sort().join(',');
  switch (r.op) {
    case '=': return `${r.key}=${r.values[0] ?? ''}`;
    case '!=': return `${r.key}!=${r.values[0] ?? ''}`;
    case 'in': return `${r.key} in (${values})`;
    case 'notin': return `${r.key} notin (${values})`;
    case 'exists': return r.key;
    case '!': return `!${r.key}`;
    case '>': return `${r.key}>${r.values[0] ?? ''}`;
    case '<': return `${r.key}<${r.values[0] ?? ''}`;
  }
}

/** Selector.String(): requirements sorted by key (stable), values sorted. */
export function requirementsString(reqs: readonly LabelRequirement[]): string {
  return [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(requirementText).join(',');
}

/** LabelSelectorAsSelector(sel).String(): `app=web,tier in (a,b)`; '' for a missing or empty one. */
export function selectorString(sel: LabelSelector | unknown): string {
  return requirementsString(selectorRequirements(sel) ?? []);
}

/** SelectorFromSet(map).String(): a Service selector as a query (`app=web,tier=db`). */
export function mapSelectorString(sel: Labels | undefined): string {
  return requirementsString(Object.entries(sel ?? {}).map(([key, v]) => ({ key, op: '=' as const, values: [v] })));
}

/**
 * How kubectl prints a metav1.LabelSelector in tables and describe: `<none>` for a missing one,
 * `<invalid>` for one it cannot read, '' for an empty one, else its sorted string form.
 */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  if (!sel) return '<none>';
  const reqs = selectorRequirements(sel);
  return reqs === undefined ? '<invalid>' : requirementsString(reqs);
}
