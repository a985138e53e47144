// How Go prints the JSON values kubectl's jsonpath works on (map[string]interface{}, []interface{},
// string, int64, float64, bool, nil): fmt's %v (Sprint), %#v (the debugging dump in jsonpath
// errors), strconv.Quote, and encoding/json (keys sorted, HTML characters escaped).
import { goQuote } from '../../lib/go-quote.ts';

/** A float64 from the template (`1.5`, `2.0`): JSON integers are int64 in Go, literals may not be. */
export class GoFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** An element of a string walked by `[*]`, `*` or `..`: Go yields its bytes (uint8). */
export class GoByte {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export type GoValue = null | boolean | number | string | GoFloat | GoByte | GoValue[] | { [k: string]: GoValue };

export const isMap = (v: unknown): v is Record<string, GoValue> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof GoFloat) && !(v instanceof GoByte);

/** Go's type name, as errors show it. */
export function goType(v: GoValue): string {
  if (v === null) return 'interface {}';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoFloat) return 'float64';
  if (v instanceof GoByte) return 'uint8';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'map[string]interface {}';
}

/** strconv.FormatFloat(f, 'g', -1, 64) as fmt's %v uses it. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const digits = mant.replace('-', '').replace('.', '');
  // shortest formatting decides with precision 6
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return f.toFixed(Math.max(0, digits.length - 1 - exp));
}

/** fmt.Sprint / %v. */
export function sprint(v: GoValue): string {
  if (v === null) return '<nil>';
  if (v instanceof GoFloat) return formatFloat(v.value);
  if (v instanceof GoByte) return String(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(sprint).join(' ')}]`;
  return `map[${Object.keys(v).sort().map((k) => `${k}:${sprint(v[k]!)}`).join(' ')}]`;
}

/** %#v of a value held in an interface{} (the nested form: no type name on scalars). */
export function goSyntax(v: GoValue): string {
  if (v === null) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  if (isMap(v)) return `map[string]interface {}{${Object.keys(v).sort().map((k) => `${goQuote(k)}:${goSyntax(v[k]!)}`).join(', ')}}`;
  if (v instanceof GoByte) return `0x${v.value.toString(16)}`;
  return sprint(v);
}

/** encoding/json's value for our Go values. */
function plain(v: GoValue): unknown {
  if (v instanceof GoFloat || v instanceof GoByte) return v.value;
  if (Array.isArray(v)) return v.map(plain);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = plain(v[k]!);
    return out;
  }
  return v;
}

/** json.Marshal (indent '' → compact) with Go's HTML-safe escaping. */
export function goJson(v: GoValue, indent?: string): string {
  return JSON.stringify(plain(v), null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
