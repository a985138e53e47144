import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSeconds, plainReporter, runSteps, type Step, type StepReporter } from './runner.ts';

function recorder(): StepReporter & { log: string[] } {
  const log: string[] = [];
  return { log, start: (t) => log.push(`start ${t}`), done: (t) => log.push(`done ${t}`), fail: (t) => log.push(`fail ${t}`), info: (t) => log.push(`info ${t}`) };
}

interface Ctx { made: string[]; chosen?: string }

const make = (name: string, fail = false): Step<Ctx> => ({
  title: `make ${name}`,
  async run(ctx) {
    if (fail) throw new Error(`${name} broke`);
    ctx.made.push(name);
  },
  async rollback(ctx) {
    ctx.made = ctx.made.filter((m) => m !== name);
  },
});

test('runSteps', async (t) => {
  const cases: { name: string; steps: (ctx: Ctx) => Parameters<typeof runSteps<Ctx>>[0]; error?: RegExp; made: string[]; log: string[] }[] = [
    {
      name: 'all steps in order',
      steps: () => [make('a'), make('b')],
      made: ['a', 'b'],
      log: ['start make a', 'done make a', 'start make b', 'done make b'],
    },
    {
      name: 'failure rolls back what ran, newest first, and rethrows',
      steps: () => [make('a'), { title: 'no undo', run: async () => {} }, make('b'), make('c', true), make('d')],
      error: /c broke/,
      made: [],
      log: ['start make a', 'done make a', 'start no undo', 'done no undo', 'start make b', 'done make b', 'start make c', 'fail make c', 'info Rolling back'],
    },
    {
      name: 'expanded steps and titles from the context',
      steps: () => [
        { title: 'choose', run: async (ctx) => { ctx.chosen = 'x,y'; } },
        (ctx) => ctx.chosen!.split(',').map((n) => make(n)),
        { title: (ctx) => `done with ${ctx.made.join('+')}`, run: async () => {} },
      ],
      made: ['x', 'y'],
      log: ['start choose', 'done choose', 'start make x', 'done make x', 'start make y', 'done make y', 'start done with x+y', 'done done with x+y'],
    },
    {
      name: 'a failing rollback is reported and the rest still runs',
      steps: () => [make('a'), { title: 'bad undo', run: async () => {}, rollback: async () => { throw new Error('stuck'); } }, make('z', true)],
      error: /z broke/,
      made: [],
      log: ['start make a', 'done make a', 'start bad undo', 'done bad undo', 'start make z', 'fail make z', 'info Rolling back', 'info rollback failed: stuck'],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const ctx: Ctx = { made: [] };
      const rep = recorder();
      const p = runSteps(c.steps(ctx), ctx, rep);
      if (c.error) await assert.rejects(p, c.error);
      else await p;
      assert.deepEqual(ctx.made, c.made);
      assert.deepEqual(rep.log, c.log);
    });
  }
});

test('plain progress lines', async () => {
  let out = '';
  let clock = 0;
  const ctx: Ctx = { made: [] };
  const slow: Step<Ctx> = { title: 'Creating network mk-mk (10.244.0.0/16)', run: async () => { clock += 120; } };
  await assert.rejects(runSteps([slow, make('n', true)], ctx, plainReporter((t) => (out += t)), () => clock));
  assert.equal(out, '✓ Creating network mk-mk (10.244.0.0/16)  0.1s\n✗ make n  0.0s\nRolling back\n');
  assert.equal(formatSeconds(12.345), '12.3s');
});
