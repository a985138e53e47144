// The progress view's state, kept apart from ink so it can be tested: the steps seen so far
// (running, done, failed, with times) and info lines, fed by a StepReporter.
import type { StepReporter } from '../cluster/index.ts';

export interface StepLine {
  kind: 'step';
  title: string;
  state: 'running' | 'done' | 'failed';
  /** when it started (ms, from `now`) */
  startedAt: number;
  seconds?: number;
}
export interface InfoLine { kind: 'info'; text: string }
export type ProgressLine = StepLine | InfoLine;

export class ProgressModel {
  readonly lines: ProgressLine[] = [];
  private readonly now: () => number;
  private readonly changed: () => void;

  constructor(changed: () => void, now: () => number = () => performance.now()) {
    this.changed = changed;
    this.now = now;
  }

  reporter(): StepReporter {
    const finish = (title: string, s: number, state: 'done' | 'failed') => {
      // a step's title may change while it runs (the network step's subnet, chosen again): the
      // running step of that title, else the last running one, takes the final title
      const running = [...this.lines].reverse().filter((x): x is StepLine => x.kind === 'step' && x.state === 'running');
      const l = running.find((x) => x.title === title) ?? running[0];
      if (l) Object.assign(l, { title, state, seconds: s });
      else this.lines.push({ kind: 'step', title, state, startedAt: this.now(), seconds: s });
      this.changed();
    };
    return {
      start: (title) => { this.lines.push({ kind: 'step', title, state: 'running', startedAt: this.now() }); this.changed(); },
      done: (title, s) => finish(title, s, 'done'),
      fail: (title, s) => finish(title, s, 'failed'),
      info: (text) => { this.lines.push({ kind: 'info', text }); this.changed(); },
    };
  }

  /** seconds shown for a line: final, or elapsed while running */
  secondsOf(l: StepLine): number {
    return l.seconds ?? (this.now() - l.startedAt) / 1000;
  }

  get running(): boolean {
    return this.lines.some((l) => l.kind === 'step' && l.state === 'running');
  }
}
