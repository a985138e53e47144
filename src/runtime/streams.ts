// Byte-stream helpers for the Docker Engine API: the 8-byte-header multiplexing Docker uses for
// attach/exec/logs without a tty, and newline-delimited JSON (build, pull and event streams).
// Pure stream plumbing, no Docker calls.

import type { Readable, Writable } from 'node:stream';

const STDOUT = 1;
const STDERR = 2;

/** Splits Docker's multiplexed stream (header: [stream, 0, 0, 0, size u32 BE]) into stdout and
 * stderr. Frames may be cut anywhere across chunks. Ends both targets when the source ends
 * (unless `end: false`); a source error is passed to both. */
export function demux(src: Readable, stdout: Writable, stderr: Writable, o: { end?: boolean } = {}): void {
  let pending: Buffer = Buffer.alloc(0);
  src.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 8) return;
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) return;
      const kind = pending[0];
      const payload = pending.subarray(8, 8 + size);
      pending = pending.subarray(8 + size);
      if (payload.length === 0) continue;
      if (kind === STDERR) stderr.write(payload);
      else if (kind === STDOUT || kind === 0) stdout.write(payload);
    }
  });
  const finish = () => {
    if (o.end === false) return;
    stdout.end();
    if (stderr !== stdout) stderr.end();
  };
  src.once('end', finish);
  src.once('close', finish);
  src.once('error', (err) => {
    stdout.destroy(err);
    if (stderr !== stdout) stderr.destroy(err);
  });
}

/** Encodes one frame of Docker's multiplexed stream (for tests and fakes). */
export function frame(kind: 1 | 2, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(8);
  head[0] = kind;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** The JSON objects of a newline-delimited JSON stream; lines that are not JSON are skipped. */
export async function* jsonLines(src: AsyncIterable<Buffer | string>): AsyncGenerator<Record<string, unknown>> {
  let rest = '';
  for await (const chunk of src) {
    rest += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      const obj = parse(line);
      if (obj) yield obj;
    }
  }
  const obj = parse(rest.trim());
  if (obj) yield obj;
}

function parse(line: string): Record<string, unknown> | undefined {
  if (!line) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
