// One exec, independent of the wire protocol: start the command through the backend, wire the
// client's channels to it, and when it has exited and its output is flushed, report the status.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { errorStatus, statusForExit } from './exec-status.ts';
import type { ExecStatus } from './exec-status.ts';
import type { TerminalSize } from './resize.ts';
import type { ExecBackend, ExecRequest } from './types.ts';

export interface ExecChannels {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Registers the receiver of terminal sizes (called at most once). */
  onResize?(cb: (size: TerminalSize) => void): void;
  /** Sends the final status and closes the exchange. */
  finish(status: ExecStatus): Promise<void>;
  /** Registers what to do when the client goes away (called at most once, possibly after finish). */
  onClientGone?(cb: () => void): void;
}

/** Copies src into dst and ends dst; resolves when src ended and dst took all of it (or either failed). */
function forward(src: Readable, dst: Writable | undefined): Promise<void> {
  if (!dst) {
    src.resume();
    return once(src, 'end').then(
      () => undefined,
      () => undefined,
    );
  }
  return new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve();
    };
    src.on('error', () => {
      dst.end();
      finish();
    });
    dst.on('error', finish);
    dst.on('close', finish);
    src.pipe(dst, { end: true });
    dst.on('finish', finish);
  });
}

export async function runExec(backend: ExecBackend, req: ExecRequest, ch: ExecChannels): Promise<void> {
  let proc;
  try {
    proc = await backend.exec(req);
  } catch (err) {
    ch.stdin?.resume();
    for (const w of [ch.stdout, ch.stderr]) w?.end();
    await ch.finish(errorStatus(err));
    return;
  }
  if (ch.stdin && proc.stdin) {
    const sink = proc.stdin;
    sink.on('error', () => undefined); // the command may exit before reading all of stdin
    ch.stdin.pipe(sink);
  } else {
    proc.stdin?.end();
    ch.stdin?.resume();
  }
  ch.onResize?.((s) => proc.resize(s.width, s.height));
  let finished = false;
  ch.onClientGone?.(() => {
    if (!finished) proc.cancel?.();
  });
  const flushed = Promise.all([forward(proc.stdout, ch.stdout), proc.stderr ? forward(proc.stderr, ch.stderr) : Promise.resolve(ch.stderr?.end())]);
  let status: ExecStatus;
  try {
    status = statusForExit(await proc.exitCode);
  } catch (err) {
    status = errorStatus(err);
  }
  await flushed;
  ch.stdin?.unpipe();
  finished = true;
  await ch.finish(status);
}
