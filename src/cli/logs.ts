// `mk logs POD|TYPE/NAME [-c C] [-f] [--tail N] [--previous] [--timestamps] [--since D]`: pick the
// pod (kubectl's `Found N pods, using pod/x` when a selector matched several) and container,
// then copy pods/NAME/log to stdout as it arrives.
import type { Writable } from 'node:stream';
import type { KubeClient, Connection } from '../client/index.ts';
import { streamLogs } from '../client/streams/logs.ts';
import { defaultContainer, resolvePod } from '../client/streams/resolve.ts';
import { UserError } from '../lib/errors.ts';
import { isApiError, isNotFound } from '../api/status.ts';

export interface LogsCliOptions {
  namespace?: string;
  target: string;
  container?: string;
  follow: boolean;
  tail?: number; // -1 or undefined: everything
  previous: boolean;
  timestamps: boolean;
  since?: string; // a Go duration: 5m, 1h30m, 10s
}

export async function runLogsCommand(client: KubeClient, conn: Connection, o: LogsCliOptions, io: { stdout: Writable; stderr: Writable }, signal?: AbortSignal): Promise<void> {
  const namespace = client.ns(o.namespace);
  const sinceSeconds = o.since !== undefined ? parseDuration(o.since) || undefined : undefined;
  const { pod, matched } = await resolvePod(client, namespace, o.target).catch((e: unknown) => {
    // kubectl logs words a missing object its own way
    if (isApiError(e) && isNotFound(e)) throw new UserError(`error: error from server (NotFound): ${e.message} in namespace "${namespace}"`, undefined, { cause: e });
    throw e;
  });
  if (matched > 1) io.stderr.write(`Found ${matched} pods, using pod/${pod.metadata.name}\n`);
  let container = o.container;
  if (!container) {
    const d = defaultContainer(pod);
    container = d.name;
    if (d.note) io.stderr.write(`${d.note}\n`);
  }
  await streamLogs(
    conn,
    {
      namespace,
      pod: pod.metadata.name!,
      container,
      follow: o.follow,
      previous: o.previous,
      timestamps: o.timestamps,
      tailLines: o.tail !== undefined && o.tail >= 0 ? o.tail : undefined,
      sinceSeconds,
    },
    io.stdout,
    signal,
  );
}

const UNIT: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration (`5m`, `1h30m`, `90s`) in whole seconds, rounded as kubectl does. */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNIT[m[2]!]!;
    at = re.lastIndex;
  }
  if (!text || at !== text.length) throw new UserError(`error: invalid argument "${text}" for "--since" flag: time: invalid duration "${text}"`);
  return Math.round(total);
}
