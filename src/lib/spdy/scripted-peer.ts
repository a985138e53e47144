// Test support: the far end of an in-memory SPDY connection, driven frame by frame. It writes
// the frames a test asks for (header blocks through its own zlib context) and collects, in
// order, the frames the session under test sends back.
import type { Duplex } from 'node:stream';
import * as f from './frames.ts';
import type { Frame, SpdyHeaders } from './frames.ts';
import { HeaderCompressor, HeaderDecompressor } from './headers.ts';

export interface ScriptedPeer {
  /** Every frame received so far, decoded. */
  frames: Frame[];
  /** SYN_STREAM with these headers. */
  open(id: number, headers: SpdyHeaders, flags?: number): Promise<void>;
  /** SYN_REPLY with these headers. */
  reply(id: number, headers?: SpdyHeaders, flags?: number): Promise<void>;
  send(bytes: Buffer): void;
  /** Lets both ends process what is in flight. */
  settle(): Promise<void>;
  close(): void;
}

export function scriptedPeer(sock: Duplex): ScriptedPeer {
  const deflate = new HeaderCompressor();
  const inflate = new HeaderDecompressor();
  const frames: Frame[] = [];
  let buf = Buffer.alloc(0);
  let chain = Promise.resolve();
  sock.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    for (let cut = f.cutFrame(buf, 0); cut; cut = f.cutFrame(buf, 0)) {
      const raw = cut.frame;
      buf = buf.subarray(cut.next);
      chain = chain.then(async () => {
        const off = raw.control ? f.headerBlockOffset(raw.type) : -1;
        const headers = off >= 0 ? await inflate.decompress(raw.payload.subarray(off)) : {};
        const fr = f.decodeFrame(raw, headers);
        if (fr) frames.push(fr);
      });
    }
  });
  return {
    frames,
    async open(id, headers, flags = 0) {
      sock.write(f.synStream(id, 0, 0, flags, await deflate.compress(headers)));
    },
    async reply(id, headers = {}, flags = 0) {
      sock.write(f.synReply(id, flags, await deflate.compress(headers)));
    },
    send: (bytes) => void sock.write(bytes),
    async settle() {
      await new Promise((r) => setTimeout(r, 20));
      await chain;
    },
    close() {
      deflate.close();
      inflate.close();
    },
  };
}
