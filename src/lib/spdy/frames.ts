// SPDY/3.1 frame layout (draft 3.1, section 2): splitting a byte stream into frames and the
// binary form of every frame kubectl's SPDY stack (moby/spdystream) reads or writes. Pure and
// synchronous: header blocks appear here already decompressed (see headers.ts for the zlib part).

export const VERSION = 3;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const TYPE = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** RST_STREAM status codes. */
export const RST = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
} as const;

/** Header names are lower case; several values of one name are joined with NUL, as on the wire. */
export type SpdyHeaders = Record<string, string>;

export interface Setting {
  flags: number;
  id: number;
  value: number;
}

export type Frame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedTo: number; priority: number; slot: number; flags: number; headers: SpdyHeaders }
  | { type: 'syn_reply'; streamId: number; flags: number; headers: SpdyHeaders }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; settings: Setting[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; flags: number; headers: SpdyHeaders }
  | { type: 'window_update'; streamId: number; delta: number };

/** One frame cut from the byte stream; control frames keep their payload raw (header blocks compressed). */
export type RawFrame =
  | { control: false; streamId: number; flags: number; payload: Buffer }
  | { control: true; version: number; type: number; flags: number; payload: Buffer };

export const HEADER_SIZE = 8;
export const MAX_LENGTH = 0xffffff;

/** Cuts the next complete frame from buf at offset; null when more bytes are needed. */
export function cutFrame(buf: Buffer, offset: number): { frame: RawFrame; next: number } | null {
  if (buf.length - offset < HEADER_SIZE) return null;
  const first = buf.readUInt32BE(offset);
  const flagsLen = buf.readUInt32BE(offset + 4);
  const flags = flagsLen >>> 24;
  const length = flagsLen & MAX_LENGTH;
  const end = offset + HEADER_SIZE + length;
  if (buf.length < end) return null;
  const payload = buf.subarray(offset + HEADER_SIZE, end);
  if (first & 0x80000000) {
    return { frame: { control: true, version: (first >>> 16) & 0x7fff, type: first & 0xffff, flags, payload }, next: end };
  }
  return { frame: { control: false, streamId: first & 0x7fffffff, flags, payload }, next: end };
}

function header(control: boolean, typeOrStream: number, flags: number, length: number): Buffer {
  if (length > MAX_LENGTH) throw new RangeError(`SPDY frame too long: ${length} bytes`);
  const h = Buffer.alloc(HEADER_SIZE);
  if (control) h.writeUInt32BE((0x80000000 | (VERSION << 16) | typeOrStream) >>> 0, 0);
  else h.writeUInt32BE(typeOrStream & 0x7fffffff, 0);
  h.writeUInt32BE(((flags << 24) | length) >>> 0, 4);
  return h;
}

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
}

export function control(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header(true, type, flags, payload.length), payload]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  return Buffer.concat([header(false, streamId, flags, data.length), data]);
}

/** Control frames without a header block. */
export function rstStream(streamId: number, status: number): Buffer {
  return control(TYPE.RST_STREAM, 0, u32(streamId & 0x7fffffff, status));
}
export function ping(id: number): Buffer {
  return control(TYPE.PING, 0, u32(id));
}
export function goaway(lastGoodStreamId: number, status: number): Buffer {
  return control(TYPE.GOAWAY, 0, u32(lastGoodStreamId & 0x7fffffff, status));
}
export function windowUpdate(streamId: number, delta: number): Buffer {
  return control(TYPE.WINDOW_UPDATE, 0, u32(streamId & 0x7fffffff, delta & 0x7fffffff));
}
export function settings(flags: number, entries: Setting[]): Buffer {
  const body = [u32(entries.length)];
  for (const e of entries) body.push(u32(((e.flags << 24) | (e.id & 0xffffff)) >>> 0, e.value));
  return control(TYPE.SETTINGS, flags, Buffer.concat(body));
}

/** Control frames carrying a (compressed) header block. */
export function synStream(streamId: number, associatedTo: number, priority: number, flags: number, block: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE(associatedTo & 0x7fffffff, 4);
  fixed.writeUInt8((priority & 0x7) << 5, 8);
  return control(TYPE.SYN_STREAM, flags, Buffer.concat([fixed, block]));
}
export function synReply(streamId: number, flags: number, block: Buffer): Buffer {
  return control(TYPE.SYN_REPLY, flags, Buffer.concat([u32(streamId & 0x7fffffff), block]));
}

/** Where the compressed header block starts in the payload of a control frame type (-1: none). */
export function headerBlockOffset(type: number): number {
  if (type === TYPE.SYN_STREAM) return 10;
  if (type === TYPE.SYN_REPLY || type === TYPE.HEADERS) return 4;
  return -1;
}

export class FrameError extends Error {}

/** Decodes a raw frame, given its header block already decompressed (for the types that have one). */
export function decodeFrame(raw: RawFrame, headers: SpdyHeaders = {}): Frame | null {
  if (!raw.control) return { type: 'data', streamId: raw.streamId, flags: raw.flags, data: raw.payload };
  const p = raw.payload;
  const need = (n: number) => {
    if (p.length < n) throw new FrameError(`SPDY control frame type ${raw.type} too short (${p.length} bytes)`);
  };
  switch (raw.type) {
    case TYPE.SYN_STREAM:
      need(10);
      return {
        type: 'syn_stream',
        streamId: p.readUInt32BE(0) & 0x7fffffff,
        associatedTo: p.readUInt32BE(4) & 0x7fffffff,
        priority: p.readUInt8(8) >>> 5,
        slot: p.readUInt8(9),
        flags: raw.flags,
        headers,
      };
    case TYPE.SYN_REPLY:
      need(4);
      return { type: 'syn_reply', streamId: p.readUInt32BE(0) & 0x7fffffff, flags: raw.flags, headers };
    case TYPE.HEADERS:
      need(4);
      return { type: 'headers', streamId: p.readUInt32BE(0) & 0x7fffffff, flags: raw.flags, headers };
    case TYPE.RST_STREAM:
      need(8);
      return { type: 'rst_stream', streamId: p.readUInt32BE(0) & 0x7fffffff, status: p.readUInt32BE(4) };
    case TYPE.SETTINGS: {
      need(4);
      const n = p.readUInt32BE(0);
      need(4 + 8 * n);
      const entries: Setting[] = [];
      for (let i = 0; i < n; i++) {
        const idw = p.readUInt32BE(4 + 8 * i);
        entries.push({ flags: idw >>> 24, id: idw & 0xffffff, value: p.readUInt32BE(8 + 8 * i) });
      }
      return { type: 'settings', flags: raw.flags, settings: entries };
    }
    case TYPE.PING:
      need(4);
      return { type: 'ping', id: p.readUInt32BE(0) };
    case TYPE.GOAWAY:
      need(8);
      return { type: 'goaway', lastGoodStreamId: p.readUInt32BE(0) & 0x7fffffff, status: p.readUInt32BE(4) };
    case TYPE.WINDOW_UPDATE:
      need(8);
      return { type: 'window_update', streamId: p.readUInt32BE(0) & 0x7fffffff, delta: p.readUInt32BE(4) & 0x7fffffff };
    default:
      return null; // unknown control frames are ignored (draft 3.1, 2.2.1)
  }
}
