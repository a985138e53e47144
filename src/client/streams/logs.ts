// pods/NAME/log, client end: the query kubectl sends and the text/plain body copied as it
// arrives (with follow=true the server keeps the response open until the container's log ends).
import type { Writable } from 'node:stream';
import type { Connection } from '../index.ts';
import { query, resourcePath } from '../paths.ts';
import { R } from '../../api/resources.ts';
import { streamGet } from './connection.ts';

const PODS = R.pods;

export interface LogRequest {
  namespace: string;
  pod: string;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

export function logPath(r: LogRequest): string {
  return (
    resourcePath(PODS, { namespace: r.namespace, name: r.pod, subresource: 'log' }) +
    query({
      container: r.container,
      follow: r.follow || undefined,
      limitBytes: r.limitBytes,
      previous: r.previous || undefined,
      sinceSeconds: r.sinceSeconds,
      sinceTime: r.sinceTime,
      tailLines: r.tailLines,
      timestamps: r.timestamps || undefined,
    })
  );
}

/** Copies the log to `out` until the server ends it (or `signal` aborts: resolves then too). */
export async function streamLogs(conn: Connection, r: LogRequest, out: Writable, signal?: AbortSignal): Promise<void> {
  let res;
  try {
    res = await streamGet(conn, logPath(r), signal);
  } catch (e) {
    if (signal?.aborted) return;
    throw e;
  }
  try {
    for await (const chunk of res) {
      if (!out.write(chunk as Buffer)) await new Promise((resolve) => out.once('drain', resolve));
    }
  } catch (e) {
    if (!signal?.aborted) throw e;
  } finally {
    res.destroy();
  }
}
