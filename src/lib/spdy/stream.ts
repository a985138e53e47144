// One SPDY stream as a Node Duplex: readable = the peer's DATA until its FIN, writable = our
// DATA frames, ending with FIN. Reset (RST_STREAM) from either side destroys it. It talks to its
// session only through StreamHost, so it does not care which side of the connection it is on.
import { Duplex } from 'node:stream';
import type { SpdyHeaders } from './frames.ts';
import { RST } from './frames.ts';

/** What a stream needs from the session that carries it (SpdySession implements it). */
export interface StreamHost {
  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void>;
  sendReset(streamId: number, status: number): void;
  /** Back-pressure: stop / restart reading the transport. */
  pause(): void;
  resume(): void;
  /** The stream is done in both directions (or reset): drop it from the session's table. */
  forget(streamId: number): void;
  readonly isClosed: boolean;
}

export class SpdyStream extends Duplex {
  readonly id: number;
  /** The headers of the SYN_STREAM that opened it (the peer's, or ours for a stream we opened). */
  readonly headers: SpdyHeaders;
  private readonly session: StreamHost;
  private remoteDone = false;
  private localDone = false;
  private paused = false;

  constructor(session: StreamHost, id: number, headers: SpdyHeaders) {
    super({ allowHalfOpen: true });
    this.session = session;
    this.id = id;
    this.headers = headers;
  }

  /** The value of one of those headers (first value if several). */
  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()]?.split('\0')[0];
  }

  // ---- from the session ----
  remoteData(data: Buffer): void {
    if (this.remoteDone || this.destroyed) return;
    if (!this.push(data) && !this.paused) {
      this.paused = true;
      this.session.pause();
    }
  }
  remoteFinished(): void {
    if (this.remoteDone) return;
    this.remoteDone = true;
    this.push(null);
    this.settle();
  }
  remoteReset(status: number): void {
    this.remoteDone = this.localDone = true;
    this.session.forget(this.id);
    this.destroy(status === RST.CANCEL ? undefined : new Error(`stream ${this.id} reset by peer (status ${status})`));
  }
  sessionClosed(): void {
    this.localDone = true;
    if (!this.remoteDone) {
      this.remoteDone = true;
      this.push(null);
    }
    if (!this.writableFinished) this.destroy();
  }

  // ---- Duplex ----
  override _read(): void {
    if (this.paused) {
      this.paused = false;
      this.session.resume();
    }
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.localDone || this.session.isClosed) return cb();
    this.session.sendData(this.id, chunk, false).then(() => cb(), cb);
  }
  override _final(cb: (err?: Error | null) => void): void {
    if (this.localDone || this.session.isClosed) return cb();
    this.localDone = true;
    this.session.sendData(this.id, Buffer.alloc(0), true).then(() => {
      this.settle();
      cb();
    }, cb);
  }

  /** Abort this stream: RST_STREAM to the peer. */
  reset(status: number = RST.CANCEL): void {
    if (!this.localDone || !this.remoteDone) this.session.sendReset(this.id, status);
    this.localDone = this.remoteDone = true;
    this.session.forget(this.id);
    this.destroy();
  }

  private settle(): void {
    if (this.localDone && this.remoteDone) this.session.forget(this.id);
  }
}
