// A SPDY/3.1 client session over an upgraded socket: opens streams (odd ids, SYN_STREAM with
// our headers, resolved once the server's SYN_REPLY arrives), reads the server's DATA into them,
// echoes the server's PINGs. Frames, header compression and the per-stream Duplex are the API
// server's own (src/apiserver/streams/spdy/): its SpdySession is server-only, so this is the
// client-side counterpart driving the same SpdyStream.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import * as f from '../../lib/spdy/frames.ts';
import type { RawFrame, SpdyHeaders } from '../../lib/spdy/frames.ts';
import { HeaderCompressor, HeaderDecompressor } from '../../lib/spdy/headers.ts';
import type { SpdySession } from '../../lib/spdy/session.ts';
import { SpdyStream } from '../../lib/spdy/stream.ts';

const MAX_DATA_CHUNK = 32 * 1024;

interface Pending {
  stream: SpdyStream;
  replied: boolean;
  resolve(s: SpdyStream): void;
  reject(e: Error): void;
}

export class SpdyClientSession extends EventEmitter {
  private readonly socket: Duplex;
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, Pending>();
  private nextId = 1;
  private inbuf: Buffer = Buffer.alloc(0);
  private processing: Promise<void> = Promise.resolve();
  private writes: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(socket: Duplex, head: Buffer = Buffer.alloc(0)) {
    super();
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.teardown());
    socket.on('close', () => this.teardown());
    socket.on('end', () => this.teardown());
    if (head.length) this.receive(head);
  }

  /** Opens a stream with these headers; resolves when the server has answered it. */
  open(headers: SpdyHeaders): Promise<SpdyStream> {
    if (this.closed) return Promise.reject(new Error('the SPDY connection is closed'));
    const id = this.nextId;
    this.nextId += 2;
    const stream = new SpdyStream(this as unknown as SpdySession, id, headers);
    return new Promise<SpdyStream>((resolve, reject) => {
      this.streams.set(id, { stream, replied: false, resolve, reject });
      this.write(async () => f.synStream(id, 0, 0, 0, await this.compressor.compress(headers))).catch(reject);
    });
  }

  // ---- reading ----

  private receive(chunk: Buffer): void {
    this.inbuf = this.inbuf.length ? Buffer.concat([this.inbuf, chunk]) : chunk;
    let at = 0;
    for (let cut = f.cutFrame(this.inbuf, at); cut; cut = f.cutFrame(this.inbuf, at)) {
      const raw = cut.frame;
      at = cut.next;
      this.processing = this.processing.then(() => this.handle(raw)).catch((err: unknown) => this.fail(err));
    }
    this.inbuf = this.inbuf.subarray(at);
  }

  private async handle(raw: RawFrame): Promise<void> {
    if (this.closed) return;
    let headers: SpdyHeaders = {};
    if (raw.control) {
      const off = f.headerBlockOffset(raw.type);
      if (off >= 0 && raw.payload.length > off) headers = await this.decompressor.decompress(raw.payload.subarray(off));
    }
    const frame = f.decodeFrame(raw, headers);
    if (!frame) return;
    switch (frame.type) {
      case 'syn_reply': {
        const p = this.streams.get(frame.streamId);
        if (p && !p.replied) {
          p.replied = true;
          p.resolve(p.stream);
        }
        if (frame.flags & f.FLAG_FIN) p?.stream.remoteFinished();
        return;
      }
      case 'data': {
        const p = this.streams.get(frame.streamId);
        if (!p) return;
        if (frame.data.length) {
          this.write(f.windowUpdate(frame.streamId, frame.data.length)).catch(() => undefined);
          p.stream.remoteData(frame.data);
        }
        if (frame.flags & f.FLAG_FIN) p.stream.remoteFinished();
        return;
      }
      case 'headers':
        if (frame.flags & f.FLAG_FIN) this.streams.get(frame.streamId)?.stream.remoteFinished();
        return;
      case 'rst_stream': {
        const p = this.streams.get(frame.streamId);
        if (!p) return;
        if (!p.replied) p.reject(new Error(`stream ${frame.streamId} refused by the server (status ${frame.status})`));
        p.stream.remoteReset(frame.status);
        return;
      }
      case 'syn_stream': // servers don't push in these protocols
        this.write(f.rstStream(frame.streamId, f.RST.REFUSED_STREAM)).catch(() => undefined);
        return;
      case 'ping':
        if (frame.id % 2 === 0) this.write(f.ping(frame.id)).catch(() => undefined);
        return;
      case 'goaway':
        this.teardown();
        return;
      default:
        return;
    }
  }

  private fail(err: unknown): void {
    this.emit('protocolError', err);
    this.destroy();
  }

  // ---- what SpdyStream calls ----

  write(bytes: Buffer | (() => Promise<Buffer>)): Promise<void> {
    const job = this.writes.then(async () => {
      if (this.socket.destroyed || this.socket.writableEnded) return;
      const buf = typeof bytes === 'function' ? await bytes() : bytes;
      if (this.socket.destroyed || this.socket.writableEnded) return;
      if (!this.socket.write(buf)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            this.socket.off('drain', done);
            this.socket.off('close', done);
            resolve();
          };
          this.socket.on('drain', done);
          this.socket.on('close', done);
        });
      }
    });
    this.writes = job.catch(() => undefined);
    return job;
  }

  async sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    for (let off = 0; off < data.length; off += MAX_DATA_CHUNK) {
      const end = Math.min(off + MAX_DATA_CHUNK, data.length);
      await this.write(f.dataFrame(streamId, fin && end === data.length ? f.FLAG_FIN : 0, data.subarray(off, end)));
    }
    if (fin && data.length === 0) await this.write(f.dataFrame(streamId, f.FLAG_FIN, data));
  }

  sendReset(streamId: number, status: number): void {
    this.write(f.rstStream(streamId, status)).catch(() => undefined);
  }
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
  forget(streamId: number): void {
    this.streams.delete(streamId);
  }
  get isClosed(): boolean {
    return this.closed;
  }

  // ---- ending ----

  /** GOAWAY, then close the socket once everything queued is written. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.write(f.goaway(0, 0)).catch(() => undefined);
    this.socket.end();
    this.teardown();
  }

  destroy(): void {
    this.socket.destroy();
    this.teardown();
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.streams.values()) {
      if (!p.replied) p.reject(new Error('lost connection to pod'));
      p.stream.sessionClosed();
    }
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    this.emit('close');
  }
}
