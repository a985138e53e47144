// Protocol Buffers wire format, read only: the fields of one message as (number, wire type,
// value) triples. Schema-free; src/apiserver/protobuf/decode.ts gives them names.

export type WireValue = { wire: 0; value: bigint } | { wire: 1; value: Buffer } | { wire: 2; value: Buffer } | { wire: 5; value: Buffer };
export type WireField = WireValue & { field: number };

export class WireError extends Error {}

function varint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new WireError('truncated varint');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 63n) throw new WireError('varint too long');
  }
}

export function readFields(buf: Buffer): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p] = varint(buf, pos);
    pos = p;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, q] = varint(buf, pos);
      pos = q;
      out.push({ field, wire, value: v });
    } else if (wire === 2) {
      const [len, q] = varint(buf, pos);
      const end = q + Number(len);
      if (end > buf.length) throw new WireError('truncated length-delimited field');
      out.push({ field, wire, value: buf.subarray(q, end) });
      pos = end;
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (pos + n > buf.length) throw new WireError('truncated fixed field');
      out.push({ field, wire, value: buf.subarray(pos, pos + n) });
      pos += n;
    } else throw new WireError(`unsupported wire type ${wire}`);
  }
  return out;
}

/** A debugging view: nested messages are guessed (a length-delimited field that parses as fields). */
export function dump(buf: Buffer, indent = ''): string {
  let s = '';
  for (const f of readFields(buf)) {
    if (f.wire === 2) {
      let nested: string | undefined;
      const text = f.value.toString('utf8');
      const printable = /^[\x20-\x7e]*$/.test(text);
      try {
        if (!printable || f.value.length === 0) nested = f.value.length ? dump(f.value, indent + '  ') : '';
      } catch {
        nested = undefined;
      }
      s += nested !== undefined && !printable ? `${indent}${f.field}: {\n${nested}${indent}}\n` : `${indent}${f.field}: ${JSON.stringify(text)}\n`;
    } else s += `${indent}${f.field}: ${f.wire === 0 ? f.value : f.value.toString('hex')}\n`;
  }
  return s;
}
