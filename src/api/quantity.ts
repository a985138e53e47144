// resource.Quantity as apimachinery reads, compares and prints it: `1Gi`, `500m`, `1.5G`, `2e3`.
// Values are kept exactly, in nano-units (BigInt), with the format of the suffix they were written
// in; String() is the canonical form kubectl shows (`1024Mi` prints `1Gi`, `0.5` prints `500m`,
// a binary amount under 1024 or with a fraction prints as a decimal one). Parse errors are
// decode.ts's business (quantityError); parse() here throws on what does not parse.

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** the amount × 10⁹, rounded up to a whole nano-unit as Kubernetes rounds */
  nanos: bigint;
  format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([k, v]) => [v, k]));
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const ceilDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return (a % b !== 0n && (a > 0n) === (b > 0n)) ? q + 1n : q;
};

/** Parses `1Gi`, `250m`, `1.5`, `1e3`; throws an Error naming the value when it does not parse. */
export function parseQuantity(input: string | number): Quantity {
  const text = String(input).trim();
  const m = /^([+-]?)(\d+\.?\d*|\.\d+)([a-zA-Z]*|[eE][+-]?\d+)$/.exec(text);
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(text)}`);
  const [, sign, num, suffix] = m as unknown as [string, string, string, string];
  const [whole, frac = ''] = num.split('.');
  let digits = BigInt(`${whole || '0'}${frac}`);
  let exp10 = -frac.length;
  let exp2 = 0;
  let format: QuantityFormat;
  if (suffix in BINARY) {
    exp2 = BINARY[suffix]!;
    format = 'BinarySI';
  } else if (suffix in DECIMAL) {
    exp10 += DECIMAL[suffix]!;
    format = 'DecimalSI';
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    exp10 += Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    throw new Error(`unable to parse quantity's suffix: ${JSON.stringify(text)}`);
  }
  digits *= 2n ** BigInt(exp2);
  const scale = exp10 + 9;
  const nanos = scale >= 0 ? digits * 10n ** BigInt(scale) : ceilDiv(digits, 10n ** BigInt(-scale));
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

/** -1, 0 or 1 as a is less than, equal to or more than b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** The canonical text of a quantity (Quantity.String()). */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const neg = q.nanos < 0n;
  const abs = neg ? -q.nanos : q.nanos;
  let format = q.format;
  if (format === 'BinarySI' && (abs < 1024n * NANO || abs % NANO !== 0n)) format = 'DecimalSI';
  let out: string;
  if (format === 'BinarySI') {
    const bytes = abs / NANO;
    let i = BINARY_SUFFIXES.length - 1;
    while (i > 0 && bytes % (1n << BigInt(10 * i)) !== 0n) i--;
    out = `${bytes >> BigInt(10 * i)}${BINARY_SUFFIXES[i]}`;
  } else {
    // the largest exponent (a multiple of 3 from -9 to 18) that keeps the mantissa whole
    let e = 18;
    while (e > -9 && abs % 10n ** BigInt(e + 9) !== 0n) e -= 3;
    const mantissa = abs / 10n ** BigInt(e + 9);
    out = format === 'DecimalExponent' ? `${mantissa}${e === 0 ? '' : `e${e}`}` : `${mantissa}${DECIMAL_SUFFIX[e]}`;
  }
  return neg ? `-${out}` : out;
}

/** The canonical text of a quantity written as `text` (the text itself when it does not parse). */
export function canonicalQuantity(text: unknown): string {
  if (text === undefined || text === null || text === '') return '';
  try {
    return formatQuantity(parseQuantity(text as string));
  } catch {
    return String(text);
  }
}

/** ceil(value / divisor) as an integer string: what a resourceFieldRef shows (divisor 1 by default). */
export function divideQuantity(value: Quantity, divisor: Quantity): string {
  if (divisor.nanos === 0n) throw new Error('divisor is zero');
  return String(ceilDiv(value.nanos, divisor.nanos));
}
