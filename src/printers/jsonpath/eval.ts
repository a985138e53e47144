// Evaluates a parsed JSONPath template the way client-go's jsonpath.go does: each top-level
// node is evaluated against the root, `{range}`…`{end}` repeats the nodes between them per
// result, missing keys are an error unless allowed, and results print as Go prints them
// (scalars with fmt, maps and arrays as JSON; as one indented JSON array each with asJson).
import type { ArrayParam, ListNode, Node } from './parser.ts';
import { GoByte, GoFloat, goJson, goType, isMap, sprint } from './gofmt.ts';
import type { GoValue } from './gofmt.ts';

export interface ExecOptions { allowMissingKeys: boolean; outputJson?: boolean }

/** The root object given to the engine; `undefined` stands for Go's invalid (nil) data. */
type Value = GoValue | undefined;

class State {
  beginRange = 0;
  inRange = 0;
  endRange = 0;
  lastEndNode: Node | undefined;
  readonly allowMissingKeys: boolean;
  constructor(allowMissingKeys: boolean) {
    this.allowMissingKeys = allowMissingKeys;
  }
}

/** FindResults: one result set per printed node. */
export function findResults(nodes: Node[], data: Value, opts: ExecOptions): GoValue[][] {
  return find(new State(opts.allowMissingKeys), nodes, data);
}

function find(s: State, nodes: Node[], data: Value): GoValue[][] {
  const cur: Value[] = [data];
  const full: GoValue[][] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const results = walk(s, cur, node);
    if (s.endRange > 0 && s.endRange <= s.inRange) {
      s.endRange--;
      s.lastEndNode = node;
      break;
    }
    if (s.beginRange > 0) {
      s.beginRange--;
      s.inRange++;
      const rest = nodes.slice(i + 1);
      if (results.length > 0) for (const v of results) full.push(...find(s, rest, v));
      else find(s, rest, undefined);
      s.inRange--;
      for (let k = i + 1; k < nodes.length; k++) {
        if (nodes[k] === s.lastEndNode) {
          i = k;
          break;
        }
      }
      continue;
    }
    full.push(results as GoValue[]);
  }
  return full;
}

function walk(s: State, input: Value[], node: Node): Value[] {
  switch (node.type) {
    case 'list':
      return evalList(s, input, node);
    case 'text':
      return [node.text];
    case 'field':
      return evalField(s, input, node.value);
    case 'array':
      return evalArray(input, node.params);
    case 'filter':
      return evalFilter(s, input, node);
    case 'int':
      return input.map(() => node.value);
    case 'float':
      return input.map(() => new GoFloat(node.value));
    case 'bool':
      return input.map(() => node.value);
    case 'wildcard':
      return input.flatMap((v) => (v === null || v === undefined ? [] : children(v)));
    case 'recursive':
      return evalRecursive(input);
    case 'union':
      return node.nodes.flatMap((l) => evalList(s, input, l));
    case 'identifier':
      if (node.name === 'range') {
        s.beginRange++;
        return input;
      }
      if (node.name === 'end') {
        if (s.inRange > 0) {
          s.endRange++;
          return [];
        }
        throw new Error('not in range, nothing to end');
      }
      throw new Error(`unrecognized identifier ${node.name}`);
  }
}

function evalList(s: State, input: Value[], list: ListNode): Value[] {
  let cur = input;
  for (const n of list.nodes) cur = walk(s, cur, n);
  return cur;
}

/** Map values (by sorted key: Go's order is random), array elements, a string's bytes. */
function children(v: GoValue): GoValue[] {
  if (Array.isArray(v)) return v;
  if (isMap(v)) return Object.keys(v).sort().map((k) => v[k]!);
  if (typeof v === 'string') return [...Buffer.from(v)].map((b) => new GoByte(b));
  return [];
}

function evalField(s: State, input: Value[], key: string): Value[] {
  const results: Value[] = [];
  if (input.length === 0) return results;
  for (const v of input) {
    if (isMap(v) && Object.hasOwn(v, key)) results.push(v[key]!);
  }
  if (results.length === 0 && !s.allowMissingKeys) throw new Error(`${key} is not found`);
  return results;
}

function evalArray(input: Value[], node: ArrayParam[]): Value[] {
  const result: Value[] = [];
  for (const v of input) {
    if (v === null) continue;
    if (!Array.isArray(v)) throw new Error(`${v === undefined ? '<invalid reflect.Value>' : goType(v)} is not array or slice`);
    const p = node.map((x) => ({ ...x }));
    const len = v.length;
    if (!p[0]!.known) p[0]!.value = 0;
    if (p[0]!.value < 0) p[0]!.value += len;
    if (!p[1]!.known) p[1]!.value = len;
    if (p[1]!.value < 0 || (p[1]!.value === 0 && p[1]!.derived)) p[1]!.value += len;
    if (p[1]!.value === p[0]!.value) return result;
    if (p[0]!.value >= len || p[0]!.value < 0) throw new Error(`array index out of bounds: index ${p[0]!.value}, length ${len}`);
    if (p[1]!.value > len || p[1]!.value < 0) throw new Error(`array index out of bounds: index ${p[1]!.value - 1}, length ${len}`);
    if (p[0]!.value > p[1]!.value) throw new Error(`starting index ${p[0]!.value} is greater than ending index ${p[1]!.value}`);
    const slice = v.slice(p[0]!.value, p[1]!.value);
    let step = 1;
    if (p[2]!.known) {
      if (p[2]!.value <= 0) throw new Error('step must be > 0');
      step = p[2]!.value;
    }
    for (let i = 0; i < slice.length; i += step) result.push(slice[i]!);
  }
  return result;
}

function evalRecursive(input: Value[]): Value[] {
  const result: Value[] = [];
  for (const v of input) {
    if (v === null || v === undefined) continue;
    const kids = children(v);
    if (kids.length > 0) {
      result.push(v);
      result.push(...evalRecursive(kids));
    }
  }
  return result;
}

type Kind = 'bool' | 'int' | 'uint' | 'float' | 'string';

function basicKind(v: Value): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof GoFloat) return 'float';
  if (v instanceof GoByte) return 'uint';
  throw new Error('invalid type for comparison');
}

const num = (v: Value): number => (v instanceof GoFloat || v instanceof GoByte ? v.value : (v as number));

function kinds(a: Value, b: Value): Kind {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === kb) return ka;
  if ((ka === 'int' && kb === 'uint') || (ka === 'uint' && kb === 'int')) return 'int';
  throw new Error('incompatible types for comparison');
}

function equal(a: Value, b: Value): boolean {
  const k = kinds(a, b);
  if (k === 'bool' || k === 'string') return a === b;
  return num(a) === num(b);
}

function less(a: Value, b: Value): boolean {
  const k = kinds(a, b);
  if (k === 'bool') throw new Error('invalid type for comparison');
  if (k === 'string') return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0;
  return num(a) < num(b);
}

const COMPARE: Record<string, (a: Value, b: Value) => boolean> = {
  '<': less,
  '>': (a, b) => !(less(a, b) || equal(a, b)),
  '==': equal,
  '!=': (a, b) => !equal(a, b),
  '<=': (a, b) => less(a, b) || equal(a, b),
  '>=': (a, b) => !less(a, b),
};

function evalFilter(s: State, input: Value[], node: Extract<Node, { type: 'filter' }>): Value[] {
  const results: Value[] = [];
  for (const v of input) {
    if (!Array.isArray(v)) throw new Error(`${v === undefined ? '<invalid reflect.Value>' : sprint(v)} is not array or slice and cannot be filtered`);
    for (const item of v) {
      let lefts: Value[];
      if (node.op === 'exists') {
        try {
          lefts = evalList(s, [item], node.left);
        } catch {
          lefts = [];
        }
        if (lefts.length > 0) results.push(item);
        continue;
      }
      lefts = evalList(s, [item], node.left);
      if (lefts.length === 0) continue;
      if (lefts.length > 1) throw new Error('can only compare one element at a time');
      const rights = evalList(s, [item], node.right);
      if (rights.length === 0) continue;
      if (rights.length > 1) throw new Error('can only compare one element at a time');
      const cmp = COMPARE[node.op];
      if (!cmp) throw new Error(`unrecognized filter operator ${node.op}`);
      if (cmp(lefts[0], rights[0])) results.push(item);
    }
  }
  return results;
}

/** PrintResults for one result set. */
export function printResults(results: GoValue[], outputJson: boolean): string {
  if (outputJson) return `${goJson(results, '    ')}\n`;
  return results.map((r) => (Array.isArray(r) || isMap(r) ? goJson(r) : sprint(r))).join(' ');
}
