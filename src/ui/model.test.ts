import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressModel } from './model.ts';
import { runSteps } from '../cluster/steps/runner.ts';

test('the progress model follows the steps', async () => {
  let clock = 0;
  let changes = 0;
  const m = new ProgressModel(() => changes++, () => clock);
  const seen: string[] = [];
  await assert.rejects(runSteps([
    { title: 'Checking Docker', run: async () => { clock += 100; } },
    { title: 'Creating node mk (10.244.0.2)', run: async () => { clock += 50; seen.push(`${m.running} ${m.secondsOf(m.lines[1] as never)}`); throw new Error('no'); }, rollback: async () => {} },
  ], {}, m.reporter(), () => clock));
  assert.deepEqual(seen, ['true 0.05']);
  assert.deepEqual(m.lines.map((l) => (l.kind === 'step' ? [l.title, l.state, l.seconds] : [l.text])), [
    ['Checking Docker', 'done', 0.1],
    ['Creating node mk (10.244.0.2)', 'failed', 0.05],
    ['Rolling back'],
  ]);
  assert.equal(m.running, false);
  assert.ok(changes >= 5);
});

test('a step whose title changes while it runs ends with its final title on the same line', async () => {
  const m = new ProgressModel(() => {});
  const ctx = { subnet: '10.246.0.0/16' };
  await runSteps([{ title: (c: typeof ctx) => `Creating network mk-a (${c.subnet})`, run: async (c: typeof ctx) => { c.subnet = '10.247.0.0/16'; } }], ctx, m.reporter());
  assert.deepEqual(m.lines.map((l) => (l.kind === 'step' ? [l.title, l.state] : [l.text])), [['Creating network mk-a (10.247.0.0/16)', 'done']]);
});
