// How the CLI prints a failure: once, to stderr, in kubectl's words (cmdutil.CheckErr and
// StandardErrorMessage), with a hint line for UserErrors and a stack only with --verbose. Only
// mk's own mistakes (BugError, and the TypeError/ReferenceError/RangeError/SyntaxError a wrong
// line of JavaScript throws) say "this is a bug in mk"; an engine's or the system's refusal
// (RuntimeError, ECONNREFUSED, …) is printed as it is.
import { ApiError } from '../api/status.ts';
import { BugError, UserError } from '../lib/errors.ts';

const PROGRAMMING_ERRORS = new Set(['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError']);

/** an error that only a mistake in mk's code can cause */
export const isBug = (err: Error): boolean => err instanceof BugError || PROGRAMMING_ERRORS.has(err.name);

/** kubectl's text for an API failure. */
export function apiErrorMessage(e: ApiError): string {
  if (e.reason === 'Invalid' && e.details && (e.details.kind || e.details.name)) {
    const head = `The ${e.details.kind ?? ''} "${e.details.name ?? ''}" is invalid`;
    const causes = (e.details.causes ?? []).map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    if (causes.length === 0) return head;
    if (causes.length === 1) return `${head}: ${causes[0]}`;
    return `${head}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
  }
  if (e.reason === 'Unauthorized') return `error: You must be logged in to the server (${e.message})`;
  if (e.reason) return `Error from server (${e.reason}): ${e.message}`;
  return `Error from server: ${e.message}`;
}

/** The lines to print for any thrown value (without trailing newline). */
export function formatError(err: unknown, verbose = false): string {
  let text: string;
  if (err instanceof ApiError) text = apiErrorMessage(err);
  else if (err instanceof UserError) {
    text = withPrefix(err.message);
    if (err.hint) text += `\n${err.hint}`;
  } else if (err instanceof Error) {
    const oclifMsg = (err as { oclif?: unknown }).oclif !== undefined;
    text = withPrefix(err.message);
    if (!oclifMsg && isBug(err)) text += '\n(this is a bug in mk; run again with --verbose to see where)';
  } else text = `error: ${String(err)}`;
  if (verbose && err instanceof Error && err.stack) text += `\n${err.stack}`;
  return text;
}

function withPrefix(msg: string): string {
  if (/^(error: |Error from server|The |Unable to connect|The connection to the server)/.test(msg)) return msg;
  return `error: ${msg}`;
}

/** Prints the error and returns the exit code to use. */
export function reportError(err: unknown, verbose = false): number {
  if (err instanceof SilentExit) return err.exitCode;
  const e = err as { oclif?: { exit?: number }; code?: string; exitCode?: number };
  if (e?.oclif?.exit !== undefined && (err as Error).message?.startsWith('EEXIT')) return e.oclif.exit;
  if (e?.code === 'EEXIT') return e.oclif?.exit ?? 0;
  process.stderr.write(`${formatError(err, verbose)}\n`);
  return err instanceof UserError ? err.exitCode : 1;
}

/** Thrown by commands that already printed their errors and only need a failing exit code. */
export class SilentExit extends Error {
  readonly exitCode: number;
  constructor(exitCode = 1) {
    super('');
    this.name = 'SilentExit';
    this.exitCode = exitCode;
  }
}
