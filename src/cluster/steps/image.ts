// Step: the node image (mk-node:<version>, or mk-node:<version>-<build> from the executable),
// built once per mk version (offline).
import { ensureNodeImageOf, nodeImageOf } from '../image/launch.ts';
import type { StartContext } from './context.ts';
import type { Step } from './runner.ts';

export const nodeImage: Step<StartContext> = {
  title: (ctx) => `Preparing node image ${nodeImageOf(ctx.o)}${ctx.imageNotes?.length ? ` (${ctx.imageNotes.join('; ')})` : ''}`,
  async run(ctx) {
    const r = await ensureNodeImageOf(ctx.rt, ctx.o);
    ctx.image = r.tag;
    if (r.notes) ctx.imageNotes = r.notes;
  },
};
