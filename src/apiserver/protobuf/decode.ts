// Kubernetes' protobuf request bodies (`application/vnd.kubernetes.protobuf`: the magic
// "k8s\0", then a runtime.Unknown envelope holding TypeMeta and the object's bytes) turned into
// the same JSON-shaped object a JSON body gives: zero values that Go's JSON would omit are
// left out, IntOrString/Quantity/Time/bytes take their JSON forms.
import { ApiError } from '../../api/status.ts';
import { KIND_MESSAGES, MESSAGES, rootMessage, type FieldDef } from './schema.ts';
import { readFields, WireError, type WireField } from './wire.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const unreadable = (why: string) =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf: ${why})`);

function scalar(def: FieldDef, w: WireField): unknown {
  switch (def.type) {
    case 'string': return w.wire === 2 ? w.value.toString('utf8') : undefined;
    case 'bytes': return w.wire === 2 ? w.value.toString('base64') : undefined;
    case 'int': return w.wire === 0 ? Number(BigInt.asIntN(64, w.value)) : undefined;
    case 'bool': return w.wire === 0 ? w.value !== 0n : undefined;
  }
  return undefined;
}

function isZero(w: WireField): boolean {
  return w.wire === 0 ? w.value === 0n : w.value.length === 0 || w.value.every((b) => b === 0);
}

function mapEntry(buf: Buffer, valueType: string): [string, unknown] {
  let key = '';
  let value: unknown = '';
  for (const w of readFields(buf)) {
    if (w.field === 1 && w.wire === 2) key = w.value.toString('utf8');
    if (w.field === 2 && w.wire === 2) {
      if (valueType === 'string') value = w.value.toString('utf8');
      else if (valueType === 'bytes') value = w.value.toString('base64');
      else value = message(valueType, w.value);
    }
  }
  return [key, value];
}

function special(type: string, buf: Buffer): unknown {
  const m = message(type, buf) as Record<string, any>;
  if (type === 'IntOrString') return m.type === 1 ? (m.strVal ?? '') : (m.intVal ?? 0);
  if (type === 'Quantity') return m.string ?? '';
  return m;
}

function time(buf: Buffer): string | undefined {
  let seconds = 0n;
  for (const w of readFields(buf)) if (w.field === 1 && w.wire === 0) seconds = BigInt.asIntN(64, w.value);
  if (seconds === 0n) return undefined;
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function message(name: string, buf: Buffer): Record<string, unknown> {
  const def = MESSAGES[name];
  if (!def) throw unreadable(`no schema for ${name}`);
  const out: Record<string, unknown> = {};
  for (const w of readFields(buf)) {
    const fd = def[w.field];
    if (!fd) {
      if (isZero(w)) continue;
      throw unreadable(`mk does not read field ${w.field} of ${name}; send JSON instead`);
    }
    let v: unknown;
    if (fd.type.startsWith('map:')) {
      if (w.wire !== 2) continue;
      const [k, val] = mapEntry(w.value, fd.type.slice(4));
      const m = (out[fd.name] ??= {}) as Record<string, unknown>;
      m[k] = val;
      continue;
    } else if (fd.type === 'time') v = w.wire === 2 ? time(w.value) : undefined;
    else if (fd.type === 'IntOrString' || fd.type === 'Quantity') v = w.wire === 2 ? special(fd.type, w.value) : undefined;
    else if (MESSAGES[fd.type]) {
      if (w.wire !== 2) continue;
      const m = message(fd.type, w.value);
      if (fd.inline) {
        Object.assign(out, m);
        continue;
      }
      v = m;
    } else {
      v = scalar(fd, w);
      if (v === undefined) continue;
      if (!fd.keepZero && !fd.repeated && (v === '' || v === 0 || v === false)) continue;
    }
    if (v === undefined) continue;
    if (fd.repeated) ((out[fd.name] ??= []) as unknown[]).push(v);
    else out[fd.name] = v;
  }
  return out;
}

/** True for `k8s\0`-framed bodies. */
export function isProtobuf(buf: Buffer): boolean {
  return buf.length >= 4 && buf.subarray(0, 4).equals(MAGIC);
}

/** A protobuf request body as the JSON object it encodes (with apiVersion and kind). */
export function decodeProtobuf(buf: Buffer): Record<string, unknown> {
  if (!isProtobuf(buf)) throw unreadable('missing the k8s\\0 prefix');
  try {
    const env = message('Unknown', buf.subarray(4)) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: string };
    const kind = env.typeMeta?.kind ?? '';
    if (!KIND_MESSAGES.has(kind)) throw unreadable(`mk reads ${[...KIND_MESSAGES].join(', ')}, not ${kind || 'an object without kind'}; send JSON instead`);
    const raw = Buffer.from(env.raw ?? '', 'base64');
    return { apiVersion: env.typeMeta?.apiVersion, kind, ...message(rootMessage(env.typeMeta?.apiVersion, kind), raw) };
  } catch (e) {
    if (e instanceof WireError) throw unreadable(e.message);
    throw e;
  }
}
