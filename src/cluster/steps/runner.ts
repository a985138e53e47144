// The step runner (kind's create.go pattern): an ordered list of small steps sharing one
// context, each `{ title, run, rollback? }`. Progress goes to a StepReporter, never to the
// terminal. When a step fails, the steps that completed are rolled back newest first (each
// undoes only what it made itself, so a restart never removes an existing cluster), then the
// step's error is thrown. Steps that depend on earlier choices (one per planned node) are
// given as a function of the context, expanded when reached.

export interface StepReporter {
  /** a step begins */
  start(title: string): void;
  /** a step ended well */
  done(title: string, seconds: number): void;
  /** a step failed (the error is thrown afterwards and printed by the CLI) */
  fail(title: string, seconds: number): void;
  /** a line that is not a step (e.g. "Rolling back") */
  info(text: string): void;
}

export interface Step<C> {
  /** evaluated just before the step runs, so it may show what earlier steps chose */
  title: string | ((ctx: C) => string);
  run(ctx: C): Promise<void>;
  /** undo what run made; called only when a later step (or this one) failed */
  rollback?(ctx: C): Promise<void>;
}

/** a step, or steps that depend on what earlier steps chose (made when reached) */
export type StepEntry<C> = Step<C> | ((ctx: C) => Step<C>[]);

export const silentReporter: StepReporter = { start() {}, done() {}, fail() {}, info() {} };

export async function runSteps<C>(entries: StepEntry<C>[], ctx: C, report: StepReporter, now: () => number = () => performance.now()): Promise<void> {
  const ran: Step<C>[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const entry = queue.shift()!;
    if (typeof entry === 'function') {
      queue.unshift(...entry(ctx));
      continue;
    }
    const step = entry;
    // a title is read again when the step ends: what it did may have changed it (a subnet chosen again)
    const titleOf = () => (typeof step.title === 'function' ? step.title(ctx) : step.title);
    const t0 = now();
    report.start(titleOf());
    ran.push(step);
    try {
      await step.run(ctx);
    } catch (e) {
      report.fail(titleOf(), (now() - t0) / 1000);
      await rollback(ran, ctx, report);
      throw e;
    }
    report.done(titleOf(), (now() - t0) / 1000);
  }
}

async function rollback<C>(ran: Step<C>[], ctx: C, report: StepReporter): Promise<void> {
  const undo = ran.filter((s) => s.rollback).reverse();
  if (undo.length === 0) return;
  report.info('Rolling back');
  for (const s of undo) {
    try {
      await s.rollback!(ctx);
    } catch (e) {
      report.info(`rollback failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** `0.1s`, `12.3s`: one decimal, as the progress lines show step times */
export function formatSeconds(s: number): string {
  return `${(Math.round(s * 10) / 10).toFixed(1)}s`;
}

/** The reporter for a non-TTY stdout: one line per finished step. */
export function plainReporter(write: (text: string) => void): StepReporter {
  return {
    start() {},
    done: (title, s) => write(`✓ ${title}  ${formatSeconds(s)}\n`),
    fail: (title, s) => write(`✗ ${title}  ${formatSeconds(s)}\n`),
    info: (text) => write(`${text}\n`),
  };
}
