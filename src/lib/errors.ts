// Errors say who must act. UserError: the user can fix it (message + what to do).
// BugError: mk is wrong. Both are printed once, by the bin, without a stack unless --verbose.

export class UserError extends Error {
  readonly hint?: string;
  readonly exitCode: number;
  constructor(message: string, hint?: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, { cause: options?.cause });
    this.name = 'UserError';
    this.hint = hint;
    this.exitCode = options?.exitCode ?? 1;
  }
}

export class BugError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BugError';
  }
}
