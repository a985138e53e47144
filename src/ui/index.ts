// The terminal UI: the only folder that imports ink/react. progressReporter() shows the steps
// of a long operation as a live ink view and hands back the StepReporter the steps write to.
import type { StepReporter } from '../cluster/index.ts';
import { ProgressModel } from './model.ts';

export { ProgressModel } from './model.ts';
export type { ProgressLine, StepLine, InfoLine } from './model.ts';

export interface ProgressView {
  reporter: StepReporter;
  /** renders the final state and releases the terminal */
  close(): Promise<void>;
}

export async function progressReporter(heading: string): Promise<ProgressView> {
  const { renderProgress } = await import('./progress.ts');
  const listeners = new Set<() => void>();
  const model = new ProgressModel(() => { for (const f of listeners) f(); });
  const subscribe = (f: () => void) => { listeners.add(f); return () => void listeners.delete(f); };
  const ink = renderProgress(model, heading, subscribe);
  return {
    reporter: model.reporter(),
    async close() {
      for (const f of listeners) f();
      // let React commit the last state before ink writes its final frame
      await new Promise((r) => setTimeout(r, 50));
      ink.unmount();
      await ink.waitUntilExit();
    },
  };
}
