// Failures of the container engine, sorted so callers can act on them without reading Docker's
// wording: NotFound (no such container/image/network/volume), Conflict (name taken, in use),
// ExecFailed (an exec'd command could not start: no such executable, …).
// Everything else from the engine is re-thrown as a RuntimeError with the engine's message.

export type RuntimeErrorCode = 'NotFound' | 'Conflict' | 'ExecFailed' | 'Engine';

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  readonly statusCode?: number;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown; statusCode?: number }) {
    super(message, { cause: options?.cause });
    this.name = 'RuntimeError';
    this.code = code;
    this.statusCode = options?.statusCode;
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof RuntimeError && e.code === 'NotFound';
export const isExecFailed = (e: unknown): boolean => e instanceof RuntimeError && e.code === 'ExecFailed';
export const isConflict = (e: unknown): boolean => e instanceof RuntimeError && e.code === 'Conflict';

/** dockerode rejects with `statusCode` and `json.message`; turn that into a RuntimeError saying
 * what was being done. Non-HTTP errors (socket gone) pass through wrapped as Engine errors. */
export function fromDocker(doing: string, e: unknown): RuntimeError {
  if (e instanceof RuntimeError) return e;
  const err = e as { statusCode?: number; json?: { message?: string } | null; reason?: string; message?: string };
  const detail = (err?.json?.message ?? err?.message ?? String(e)).trim();
  const code: RuntimeErrorCode = err?.statusCode === 404 ? 'NotFound' : err?.statusCode === 409 ? 'Conflict' : 'Engine';
  return new RuntimeError(code, `${doing}: ${detail}`, { cause: e, statusCode: err?.statusCode });
}

/** The exit code a command that could not start gets, as `docker run` and shells give it: 127
 * when there is no such executable, 126 when it is there but cannot be run (not executable, a
 * directory). `message` is the engine's (e.g. `exec: "x": executable file not found in $PATH`). */
export function execFailureExitCode(message: string): number {
  return /executable file not found|no such file or directory/i.test(message) ? 127 : 126;
}
