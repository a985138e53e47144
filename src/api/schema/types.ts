// The field-schema language for mk's served kinds, and the small builders the per-area schema
// files use. A schema says which fields exist and their JSON type; it is what strict decoding
// (decode.ts) walks and what the OpenAPI document (src/api/openapi.ts) is built from.
// Object schemas carry the OpenAPI definition name (io.k8s.api.core.v1.PodSpec) because
// Kubernetes' decoding errors name the Go struct (`PodSpec`) and Go type (`v1.PodSpec`).

export type FieldSchema =
  | { type: 'string'; format?: 'date-time' | 'byte'; doc?: string }
  | { type: 'integer'; format: 'int32' | 'int64'; doc?: string }
  | { type: 'number'; doc?: string }
  | { type: 'boolean'; doc?: string }
  | { type: 'int-or-string'; doc?: string }
  | { type: 'quantity'; doc?: string }
  | { type: 'map'; values: FieldSchema; goType?: string; doc?: string }
  | { type: 'array'; items: FieldSchema; doc?: string }
  | ObjectSchema
  | { type: 'any'; doc?: string };

export interface ObjectSchema {
  type: 'object';
  /** OpenAPI definition name, e.g. io.k8s.api.core.v1.PodSpec. */
  def: string;
  fields: Record<string, FieldSchema>;
  /** Fields that must be present (OpenAPI `required`), for documentation only. */
  required?: string[];
  doc?: string;
}

export const str: FieldSchema = { type: 'string' };
export const time: FieldSchema = { type: 'string', format: 'date-time' };
export const bytes: FieldSchema = { type: 'string', format: 'byte' };
export const i32: FieldSchema = { type: 'integer', format: 'int32' };
export const i64: FieldSchema = { type: 'integer', format: 'int64' };
export const num: FieldSchema = { type: 'number' };
export const bool: FieldSchema = { type: 'boolean' };
export const intOrString: FieldSchema = { type: 'int-or-string' };
export const quantity: FieldSchema = { type: 'quantity' };
export const any: FieldSchema = { type: 'any' };
export const strings: FieldSchema = { type: 'array', items: str };
export const strMap: FieldSchema = { type: 'map', values: str };
/** core/v1 ResourceList: resource name → Quantity. */
export const resourceList: FieldSchema = { type: 'map', values: quantity, goType: 'v1.ResourceList' };

export function arr(items: FieldSchema): FieldSchema {
  return { type: 'array', items };
}

export function mapOf(values: FieldSchema, goType?: string): FieldSchema {
  return goType ? { type: 'map', values, goType } : { type: 'map', values };
}

export function obj(def: string, fields: Record<string, FieldSchema>, required?: string[]): ObjectSchema {
  return required ? { type: 'object', def, fields, required } : { type: 'object', def, fields };
}

const CORE = 'io.k8s.api.core.v1.';
/** An object in core/v1. */
export function core(name: string, fields: Record<string, FieldSchema>, required?: string[]): ObjectSchema {
  return obj(CORE + name, fields, required);
}

/** `PodSpec` from io.k8s.api.core.v1.PodSpec: the Go struct name in json errors. */
export function structName(s: ObjectSchema): string {
  return s.def.slice(s.def.lastIndexOf('.') + 1);
}

/** The Go type as encoding/json prints it: int32, []v1.Container, map[string]string, v1.PodSpec. */
export function goTypeOf(s: FieldSchema): string {
  switch (s.type) {
    case 'string':
      if (s.format === 'byte') return '[]uint8';
      return 'string';
    case 'integer':
      return s.format;
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'int-or-string':
      return 'int32';
    case 'quantity':
      return 'resource.Quantity';
    case 'map':
      return s.goType ?? `map[string]${goTypeOf(s.values)}`;
    case 'array':
      return `[]${goTypeOf(s.items)}`;
    case 'object': {
      const parts = s.def.split('.');
      return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
    }
    case 'any':
      return 'interface {}';
  }
}
