// SPDY/3 header blocks: the name/value block format (32-bit counts and lengths) and its zlib
// compression with the SPDY/3 dictionary. One compression context per direction lives for the
// whole connection; each block ends with a sync flush so the peer can decode it on its own.
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.ts';
import { FrameError } from './frames.ts';
import type { SpdyHeaders } from './frames.ts';

/** The uncompressed block: count, then length-prefixed name and value for each pair. */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, value] of entries) {
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const out: SpdyHeaders = {};
  let at = 0;
  const take = (): string => {
    if (at + 4 > block.length) throw new FrameError('SPDY header block truncated');
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length) throw new FrameError('SPDY header block truncated');
    const s = block.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  if (block.length < 4) throw new FrameError('SPDY header block truncated');
  const n = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < n; i++) {
    const name = take().toLowerCase();
    const value = take();
    out[name] = name in out ? `${out[name]}\0${value}` : value;
  }
  return out;
}

/** Runs one zlib stream chunk by chunk: write, sync flush, collect what came out. Calls are serialized. */
class ZContext {
  private readonly z: zlib.Deflate | zlib.Inflate;
  private queue: Promise<unknown> = Promise.resolve();
  private chunks: Buffer[] = [];
  private failure: Error | null = null;

  constructor(z: zlib.Deflate | zlib.Inflate) {
    this.z = z;
    z.on('data', (c: Buffer) => this.chunks.push(c));
    z.on('error', (e: Error) => {
      this.failure = e;
    });
  }

  run(input: Buffer): Promise<Buffer> {
    const job = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          this.chunks = [];
          this.z.write(input);
          this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            if (this.failure) return reject(new FrameError(`SPDY header block: ${this.failure.message}`));
            resolve(Buffer.concat(this.chunks));
          });
        }),
    );
    this.queue = job.catch(() => undefined);
    return job;
  }

  close(): void {
    this.z.close();
  }
}

/** Compresses this side's header blocks (SYN_STREAM, SYN_REPLY, HEADERS). */
export class HeaderCompressor {
  private readonly ctx = new ZContext(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }));
  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.ctx.run(encodeHeaderBlock(headers));
  }
  close(): void {
    this.ctx.close();
  }
}

/** Decompresses the peer's header blocks, in the order they arrived. */
export class HeaderDecompressor {
  private readonly ctx = new ZContext(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }));
  async decompress(block: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.ctx.run(block));
  }
  close(): void {
    this.ctx.close();
  }
}
