// What survives decoding into the Go types: after a body has decoded without type errors, the
// API server holds a typed object, so (1) fields the schema does not know are gone (kept only
// as warnings or strict errors by decode.ts), (2) a null list element or map value is the zero
// value of its type (`"ports":[null]` is one empty ServicePort, which validation then names)
// and (3) a null field is unset. normalize() does that to the JSON value in place, so defaults,
// validation, allocators, the store and the controllers only ever see schema-shaped objects.
// Free-form fields ('any', e.g. managedFields[].fieldsV1) are kept as sent.
import type { FieldSchema, ObjectSchema } from './types.ts';

type Obj = Record<string, unknown>;

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON a zero Go value of this type marshals to (what a null element becomes). */
function zeroOf(s: FieldSchema): unknown {
  switch (s.type) {
    case 'string':
      return '';
    case 'integer':
    case 'number':
    case 'int-or-string':
      return 0;
    case 'boolean':
      return false;
    case 'quantity':
      return '0';
    case 'object':
      return {};
    case 'map':
    case 'array':
    case 'any':
      return null;
  }
}

/** The value for one typed position: nulls become zero values, objects lose unknown fields. */
function normalizeValue(v: unknown, s: FieldSchema): unknown {
  if (v === null) return zeroOf(s);
  switch (s.type) {
    case 'object':
      if (isPlainObject(v)) normalizeObject(v, s);
      return v;
    case 'array':
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) v[i] = normalizeValue(v[i], s.items);
      }
      return v;
    case 'map':
      if (isPlainObject(v)) for (const k of Object.keys(v)) v[k] = normalizeValue(v[k], s.values);
      return v;
    default:
      return v;
  }
}

function normalizeObject(v: Obj, s: ObjectSchema): void {
  for (const key of Object.keys(v)) {
    const field = s.fields[key];
    if (!field || v[key] === null || v[key] === undefined) {
      delete v[key];
      continue;
    }
    const next = normalizeValue(v[key], field);
    if (next === null) delete v[key];
    else v[key] = next;
  }
}

/** Normalizes a decoded top-level object against its kind's schema, in place. */
export function normalize(obj: Obj, schema: ObjectSchema): void {
  normalizeObject(obj, schema);
}
