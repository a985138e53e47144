// A SPDY/3.1 server session over any byte Duplex (a TLS socket after `101 Upgrade: SPDY/3.1`, or
// a WebSocket tunnel): reads frames, hands each client-opened stream to the caller as a Duplex
// (already answered with SYN_REPLY), echoes PINGs, grants flow-control window as data is read,
// and writes frames in order. It does not enforce the peer's windows: kubectl's SPDY stack
// (moby/spdystream) neither sends WINDOW_UPDATE nor waits for one.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import * as f from './frames.ts';
import type { RawFrame, SpdyHeaders } from './frames.ts';
import { HeaderCompressor, HeaderDecompressor } from './headers.ts';
import { SpdyStream } from './stream.ts';

const MAX_DATA_CHUNK = 32 * 1024;

export interface SpdySessionOptions {
  /** A stream the client opened; its SYN_REPLY has been queued. */
  onStream(stream: SpdyStream): void;
}

export class SpdySession extends EventEmitter {
  private readonly socket: Duplex;
  private readonly opts: SpdySessionOptions;
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private inbuf: Buffer = Buffer.alloc(0);
  private processing: Promise<void> = Promise.resolve();
  private writes: Promise<void> = Promise.resolve();
  private lastClientStream = 0;
  private goneAway = false;
  private closed = false;

  constructor(socket: Duplex, opts: SpdySessionOptions) {
    super();
    this.socket = socket;
    this.opts = opts;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.teardown());
    socket.on('close', () => this.teardown());
    socket.on('end', () => this.teardown());
  }

  // ---- reading ----

  private receive(chunk: Buffer): void {
    this.inbuf = this.inbuf.length ? Buffer.concat([this.inbuf, chunk]) : chunk;
    let at = 0;
    const raws: RawFrame[] = [];
    for (let cut = f.cutFrame(this.inbuf, at); cut; cut = f.cutFrame(this.inbuf, at)) {
      raws.push(cut.frame);
      at = cut.next;
    }
    this.inbuf = this.inbuf.subarray(at);
    for (const raw of raws) {
      this.processing = this.processing.then(() => this.handle(raw)).catch((err: unknown) => this.protocolError(err));
    }
  }

  private async handle(raw: RawFrame): Promise<void> {
    if (this.closed) return;
    if (raw.control && raw.version !== f.VERSION) return this.protocolError(new f.FrameError(`unsupported SPDY version ${raw.version}`));
    let headers: SpdyHeaders = {};
    if (raw.control) {
      const off = f.headerBlockOffset(raw.type);
      if (off >= 0 && raw.payload.length > off) headers = await this.decompressor.decompress(raw.payload.subarray(off));
    }
    const frame = f.decodeFrame(raw, headers);
    if (!frame) return;
    switch (frame.type) {
      case 'syn_stream': {
        if (this.goneAway || frame.streamId % 2 === 0 || frame.streamId <= this.lastClientStream || this.streams.has(frame.streamId)) {
          this.write(f.rstStream(frame.streamId, f.RST.PROTOCOL_ERROR));
          return;
        }
        this.lastClientStream = frame.streamId;
        const stream = new SpdyStream(this, frame.streamId, frame.headers);
        this.streams.set(frame.streamId, stream);
        void this.writeHeaders((block) => f.synReply(frame.streamId, 0, block), {});
        if (frame.flags & f.FLAG_FIN || frame.flags & f.FLAG_UNIDIRECTIONAL) stream.remoteFinished();
        this.opts.onStream(stream);
        return;
      }
      case 'data': {
        const s = this.streams.get(frame.streamId);
        if (!s) {
          this.write(f.rstStream(frame.streamId, f.RST.INVALID_STREAM));
          return;
        }
        if (frame.data.length) {
          this.write(f.windowUpdate(frame.streamId, frame.data.length));
          s.remoteData(frame.data);
        }
        if (frame.flags & f.FLAG_FIN) s.remoteFinished();
        return;
      }
      case 'headers': {
        if (frame.flags & f.FLAG_FIN) this.streams.get(frame.streamId)?.remoteFinished();
        return;
      }
      case 'rst_stream':
        this.streams.get(frame.streamId)?.remoteReset(frame.status);
        return;
      case 'ping':
        if (frame.id % 2 === 1) this.write(f.ping(frame.id)); // the client's pings are odd; echo them
        return;
      case 'goaway':
        this.goneAway = true;
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE, SYN_REPLY: nothing this server needs from them
    }
  }

  private protocolError(err: unknown): void {
    if (this.closed) return;
    this.emit('protocolError', err);
    this.write(f.goaway(this.lastClientStream, 1));
    void this.writes.then(() => this.socket.end());
    this.teardown();
  }

  // ---- writing (one ordered queue) ----

  /** Queues bytes; resolves when the socket accepted them (after 'drain' if it was full). */
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

  private writeHeaders(build: (block: Buffer) => Buffer, headers: SpdyHeaders): Promise<void> {
    // Compression is ordered by the queue too: the peer inflates blocks in the order it reads them.
    return this.write(async () => build(await this.compressor.compress(headers)));
  }

  async sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    for (let off = 0; off < data.length; off += MAX_DATA_CHUNK) {
      const end = Math.min(off + MAX_DATA_CHUNK, data.length);
      await this.write(f.dataFrame(streamId, fin && end === data.length ? f.FLAG_FIN : 0, data.subarray(off, end)));
    }
    if (fin && data.length === 0) await this.write(f.dataFrame(streamId, f.FLAG_FIN, data));
  }

  sendReset(streamId: number, status: number): void {
    void this.write(f.rstStream(streamId, status));
  }

  /** Back-pressure: stop reading the socket until a stream's reader catches up. */
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

  /** GOAWAY, then close the transport once everything queued is written. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.goneAway = true;
    await this.write(f.goaway(this.lastClientStream, 0));
    await this.writes;
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
    for (const s of this.streams.values()) s.sessionClosed();
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    this.emit('close');
  }
}
