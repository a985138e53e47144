// Strict decoding: walks a request body against a kind's schema the way the API server's
// JSON decoder (sigs.k8s.io/json over encoding/json) does, and reports what it would report:
// unknown fields as paths with list indices ('spec.template.spec.containers[0].imagee') and
// type mismatches as Go's json messages ('json: cannot unmarshal string into Go struct field
// DeploymentSpec.spec.replicas of type int32'). It never changes the object.
import { goTypeOf, structName } from './types.ts';
import type { FieldSchema, ObjectSchema } from './types.ts';

export interface DecodeResult {
  unknownFields: string[];
  typeErrors: string[];
}

const INT_RANGE = { int32: [-2147483648, 2147483647], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] } as const;
const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_SUFFIX_RE = /^(|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][-+]?[0-9]+)$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** How deep a free-form value ('any', e.g. managedFields[].fieldsV1) may nest: deeper is refused, never stored. */
export const MAX_FREE_FORM_DEPTH = 64;

/**
 * Nesting depth of a JSON value (a scalar is 0), without recursion. Stops once past `limit`
 * (so a circular value, which YAML aliases can make, ends too).
 */
export function depthOf(v: unknown, limit = Number.MAX_SAFE_INTEGER): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const y of Array.isArray(x) ? x : Object.values(x)) if (typeof y === 'object' && y !== null) stack.push([y, d + 1]);
  }
  return max;
}

interface Ctx {
  result: DecodeResult;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How encoding/json names a JSON value in UnmarshalTypeError. */
function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function typeError(ctx: Ctx, value: string, struct: string, goPath: string, goType: string): void {
  ctx.result.typeErrors.push(`json: cannot unmarshal ${value} into Go struct field ${struct}.${goPath} of type ${goType}`);
}

/** The offset Go's base64.StdEncoding reports for the first problem in s, or -1 when s is valid. */
export function base64ErrorOffset(s: string): number {
  const clean = s.replace(/[\r\n]/g, '');
  const bad = clean.search(/[^A-Za-z0-9+/=]/);
  const pad = clean.indexOf('=');
  if (bad >= 0 && (pad < 0 || bad < pad)) return bad;
  if (pad >= 0) {
    const tail = clean.slice(pad);
    const quantum = clean.length % 4 === 0 && (tail === '=' || tail === '==') && pad % 4 >= 2;
    return quantum ? -1 : pad;
  }
  if (clean.length % 4 !== 0) return clean.length - (clean.length % 4);
  return -1;
}

/** The Quantity parse error Kubernetes reports for a value, or undefined when it parses. */
export function quantityError(v: unknown): string | undefined {
  const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : JSON.stringify(v);
  const m = QUANTITY_RE.exec(text);
  if (!m) return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return 'unable to parse numeric part of quantity';
  if (!QUANTITY_SUFFIX_RE.test(m[2])) return "unable to parse quantity's suffix";
  return undefined;
}

function walkValue(ctx: Ctx, v: unknown, s: FieldSchema, path: string, goPath: string, struct: string): void {
  if (v === null || v === undefined) return; // null decodes to the zero value everywhere
  switch (s.type) {
    case 'any':
      if (depthOf(v, MAX_FREE_FORM_DEPTH) > MAX_FREE_FORM_DEPTH) ctx.result.typeErrors.push(`${path}: nested deeper than ${MAX_FREE_FORM_DEPTH} levels`);
      return;
    case 'string':
      if (typeof v !== 'string') return typeError(ctx, jsonKind(v), struct, goPath, s.format === 'byte' ? '[]uint8' : 'string');
      if (s.format === 'byte') {
        const at = base64ErrorOffset(v);
        if (at >= 0) ctx.result.typeErrors.push(`illegal base64 data at input byte ${at}`);
      } else if (s.format === 'date-time' && v !== '' && !RFC3339_RE.test(v)) {
        ctx.result.typeErrors.push(`parsing time "${v}" as "2006-01-02T15:04:05Z07:00": cannot parse "${v}" as "2006"`);
      }
      return;
    case 'boolean':
      if (typeof v !== 'boolean') typeError(ctx, jsonKind(v), struct, goPath, 'bool');
      return;
    case 'number':
      if (typeof v !== 'number') typeError(ctx, jsonKind(v), struct, goPath, 'float64');
      return;
    case 'integer':
    case 'int-or-string': {
      if (s.type === 'int-or-string' && typeof v === 'string') return;
      const format = s.type === 'integer' ? s.format : 'int32';
      if (typeof v !== 'number') return typeError(ctx, jsonKind(v), struct, goPath, format);
      const [lo, hi] = INT_RANGE[format];
      if (!Number.isInteger(v) || v < lo || v > hi) typeError(ctx, `number ${v}`, struct, goPath, format);
      return;
    }
    case 'quantity': {
      const err = quantityError(v);
      if (err) ctx.result.typeErrors.push(err);
      return;
    }
    case 'map':
      if (!isPlainObject(v)) return typeError(ctx, jsonKind(v), struct, goPath, goTypeOf(s));
      for (const key of Object.keys(v).sort()) walkValue(ctx, v[key], s.values, `${path}[${key}]`, goPath, struct);
      return;
    case 'array':
      if (!Array.isArray(v)) return typeError(ctx, jsonKind(v), struct, goPath, goTypeOf(s));
      v.forEach((item, i) => walkValue(ctx, item, s.items, `${path}[${i}]`, goPath, struct));
      return;
    case 'object':
      if (!isPlainObject(v)) return typeError(ctx, jsonKind(v), struct, goPath, goTypeOf(s));
      walkObject(ctx, v, s, path, goPath);
      return;
  }
}

function walkObject(ctx: Ctx, v: Record<string, unknown>, s: ObjectSchema, path: string, goPath: string): void {
  const struct = structName(s);
  // kubectl sends JSON marshalled from Go maps, so keys arrive sorted: report in that order.
  for (const key of Object.keys(v).sort()) {
    const field = s.fields[key];
    if (!field) {
      ctx.result.unknownFields.push(join(path, key));
      continue;
    }
    walkValue(ctx, v[key], field, join(path, key), join(goPath, key), struct);
  }
}

/** Decodes `obj` against a top-level kind schema. */
export function decodeWith(obj: unknown, schema: ObjectSchema): DecodeResult {
  const ctx: Ctx = { result: { unknownFields: [], typeErrors: [] } };
  if (!isPlainObject(obj)) {
    ctx.result.typeErrors.push(`json: cannot unmarshal ${jsonKind(obj)} into Go value of type ${goTypeOf(schema)}`);
    return ctx.result;
  }
  walkObject(ctx, obj, schema, '', '');
  return ctx.result;
}
