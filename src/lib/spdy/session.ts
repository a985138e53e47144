// A SPDY/3.1 session over any byte Duplex (a socket after `101 Upgrade: SPDY/3.1`, or a WebSocket
// tunnel), for either end of the connection. The role fixes the id parities: clients open odd
// stream ids and answer the server's (even) PINGs, servers the reverse. Streams the peer opens go
// to `onStream`, already answered with SYN_REPLY (without `onStream` they are refused); streams we
// open with `open()` resolve once the peer's SYN_REPLY arrives. It reads frames in order, grants
// flow-control window as data is read, and writes frames through one ordered queue. It does not
// enforce the peer's windows: kubectl's SPDY stack (moby/spdystream) neither sends WINDOW_UPDATE
// nor waits for one.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import * as f from './frames.ts';
import type { RawFrame, SpdyHeaders } from './frames.ts';
import { HeaderCompressor, HeaderDecompressor } from './headers.ts';
import { SpdyStream } from './stream.ts';
import type { StreamHost } from './stream.ts';

const MAX_DATA_CHUNK = 32 * 1024;

export type SpdyRole = 'server' | 'client';

export interface SpdySessionOptions {
  role: SpdyRole;
  /** A stream the peer opened; its SYN_REPLY has been queued. Without it, the peer may not open streams. */
  onStream?(stream: SpdyStream): void;
  /** Bytes already read from the transport past the upgrade (the start of the first frames). */
  head?: Buffer;
}

interface Opening {
  resolve(stream: SpdyStream): void;
  reject(err: Error): void;
}

export class SpdySession extends EventEmitter implements StreamHost {
  private readonly socket: Duplex;
  private readonly opts: SpdySessionOptions;
  /** Stream ids (and ping ids) this end originates have this remainder mod 2. */
  private readonly ownParity: number;
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  /** Streams we opened whose SYN_REPLY has not come yet. */
  private readonly opening = new Map<number, Opening>();
  private nextId: number;
  private inbuf: Buffer = Buffer.alloc(0);
  private processing: Promise<void> = Promise.resolve();
  private writes: Promise<void> = Promise.resolve();
  private lastPeerStream = 0;
  private goneAway = false;
  private closed = false;

  constructor(socket: Duplex, opts: SpdySessionOptions) {
    super();
    this.socket = socket;
    this.opts = opts;
    this.ownParity = opts.role === 'client' ? 1 : 0;
    this.nextId = opts.role === 'client' ? 1 : 2;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.teardown());
    socket.on('close', () => this.teardown());
    socket.on('end', () => this.teardown());
    if (opts.head?.length) this.receive(opts.head);
  }

  /** Opens a stream with these headers; resolves when the peer has answered it (SYN_REPLY). */
  open(headers: SpdyHeaders): Promise<SpdyStream> {
    if (this.closed || this.goneAway) return Promise.reject(new Error('the SPDY connection is closed'));
    const id = this.nextId;
    this.nextId += 2;
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    return new Promise<SpdyStream>((resolve, reject) => {
      this.opening.set(id, { resolve, reject });
      this.write(async () => f.synStream(id, 0, 0, 0, await this.compressor.compress(headers))).catch(reject);
    });
  }

  private isOwn(id: number): boolean {
    return id % 2 === this.ownParity;
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
        const id = frame.streamId;
        if (!this.opts.onStream) return this.send(f.rstStream(id, f.RST.REFUSED_STREAM));
        if (this.goneAway || this.isOwn(id) || id <= this.lastPeerStream || this.streams.has(id)) {
          return this.send(f.rstStream(id, f.RST.PROTOCOL_ERROR));
        }
        this.lastPeerStream = id;
        const stream = new SpdyStream(this, id, frame.headers);
        this.streams.set(id, stream);
        this.writeHeaders((block) => f.synReply(id, 0, block), {}).catch(() => undefined);
        if (frame.flags & f.FLAG_FIN || frame.flags & f.FLAG_UNIDIRECTIONAL) stream.remoteFinished();
        this.opts.onStream(stream);
        return;
      }
      case 'syn_reply': {
        const s = this.streams.get(frame.streamId);
        if (!s || !this.isOwn(frame.streamId)) return;
        const o = this.opening.get(frame.streamId);
        if (o) {
          this.opening.delete(frame.streamId);
          o.resolve(s);
        }
        if (frame.flags & f.FLAG_FIN) s.remoteFinished();
        return;
      }
      case 'data': {
        const s = this.streams.get(frame.streamId);
        if (!s) {
          // Late data for a stream of ours that is already done is expected after we reset it.
          if (!this.isOwn(frame.streamId) || frame.streamId >= this.nextId) this.send(f.rstStream(frame.streamId, f.RST.INVALID_STREAM));
          return;
        }
        if (frame.data.length) {
          this.send(f.windowUpdate(frame.streamId, frame.data.length));
          s.remoteData(frame.data);
        }
        if (frame.flags & f.FLAG_FIN) s.remoteFinished();
        return;
      }
      case 'headers':
        if (frame.flags & f.FLAG_FIN) this.streams.get(frame.streamId)?.remoteFinished();
        return;
      case 'rst_stream': {
        const s = this.streams.get(frame.streamId);
        if (!s) return;
        const o = this.opening.get(frame.streamId);
        if (o) {
          // Never handed out, so nobody listens for its 'error': the rejection is the report.
          this.forget(frame.streamId);
          s.destroy();
          o.reject(new Error(`stream ${frame.streamId} refused by the server (status ${frame.status})`));
          return;
        }
        s.remoteReset(frame.status);
        return;
      }
      case 'ping':
        if (!this.isOwn(frame.id)) this.send(f.ping(frame.id)); // the peer's pings: echo them
        return;
      case 'goaway':
        this.goneAway = true; // no new streams; the peer ends the transport when it is done
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE: nothing we need from them
    }
  }

  private protocolError(err: unknown): void {
    if (this.closed) return;
    this.emit('protocolError', err);
    this.send(f.goaway(this.lastPeerStream, 1));
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

  /** Queues a frame nobody waits for. */
  private send(bytes: Buffer): void {
    this.write(bytes).catch(() => undefined);
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
    this.send(f.rstStream(streamId, status));
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
    this.opening.delete(streamId);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // ---- ending ----

  /** GOAWAY, then close the transport once everything queued is written. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.goneAway = true;
    await this.write(f.goaway(this.lastPeerStream, 0)).catch(() => undefined);
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
    // kubectl's words when the connection goes before a stream it asked for was answered.
    for (const o of this.opening.values()) o.reject(new Error('lost connection to pod'));
    this.opening.clear();
    for (const s of this.streams.values()) s.sessionClosed();
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    this.emit('close');
  }
}
