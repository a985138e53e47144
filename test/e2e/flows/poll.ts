// Waiting and checking in the e2e tests: `ok` (a command exited 0, else its output is the
// message) and `poll` (bounded polling that says what it last saw). MK_FLOW_TRACE=1 prints how
// long each poll waited (to see where a slow flow spends its time).
import assert from 'node:assert/strict';
import type { Result } from '../harness.ts';

export const ok = (r: Result, what: string) => assert.equal(r.exitCode, 0, `${what} (exit ${r.exitCode}): ${r.stdout}${r.stderr}`);

export interface PollOptions {
  /** give up after (default 60 s) */
  ms?: number;
  /** between tries (default 250 ms) */
  everyMs?: number;
  /** what the user would have looked at, for the timeout message */
  last?: () => string;
  /** an error thrown by a try counts as "not yet" (the last one is in the timeout message) */
  retryErrors?: boolean;
}

/** Polls `f` every `everyMs` until it returns something other than undefined; throws after `ms`
 * with the last value (or error) seen. */
export async function poll<T>(what: string, f: () => Promise<T | undefined>, o: PollOptions = {}): Promise<T> {
  const start = Date.now();
  const end = start + (o.ms ?? 60_000);
  let error: unknown;
  for (;;) {
    let v: T | undefined;
    try {
      v = await f();
    } catch (e) {
      if (!o.retryErrors) throw e;
      error = e;
    }
    if (v !== undefined) {
      if (process.env.MK_FLOW_TRACE) process.stderr.write(`# ${what}: ${Date.now() - start} ms\n`);
      return v;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${error ? `: ${String(error)}` : ''}${o.last ? `; last seen:\n${o.last()}` : ''}`);
    await new Promise((r) => setTimeout(r, o.everyMs ?? 250));
  }
}
