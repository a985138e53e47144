// Step: the node image mk-node:<version>, built once per mk version (offline).
import { ensureNodeImage, nodeImageTag } from '../image/index.ts';
import type { StartContext } from './context.ts';
import type { Step } from './runner.ts';

export const nodeImage: Step<StartContext> = {
  title: (ctx) => `Preparing node image ${nodeImageTag(ctx.o.version)}`,
  async run(ctx) {
    ctx.image = (await ensureNodeImage(ctx.rt, { version: ctx.o.version })).tag;
  },
};
