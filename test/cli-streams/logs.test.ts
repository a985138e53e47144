// mk logs against the in-process API server, compared with kubectl 1.33 for the same request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runLogsCommand, parseDuration } from '../../src/cli/logs.ts';
import type { LogsCliOptions } from '../../src/cli/logs.ts';
import { formatError } from '../../src/cli/errors.ts';
import { startFixture, sink } from './harness.ts';
import type { Fixture } from './harness.ts';

let fx: Fixture;
before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

async function mkLogs(o: Partial<LogsCliOptions> & { target: string }) {
  const stdout = sink();
  const stderr = sink();
  let code = 0;
  try {
    await runLogsCommand(fx.client, fx.conn, { follow: false, previous: false, timestamps: false, ...o }, { stdout, stderr });
  } catch (e) {
    stderr.write(`${formatError(e)}\n`);
    code = 1;
  }
  await new Promise((r) => setImmediate(r));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const cases: { name: string; o: Partial<LogsCliOptions> & { target: string }; args: string[]; stdout: string; stderr?: string }[] = [
  { name: 'whole log', o: { target: 'runner' }, args: ['runner'], stdout: 'first line\nsecond line\nthird line\n' },
  { name: '--tail 2', o: { target: 'runner', tail: 2 }, args: ['runner', '--tail', '2'], stdout: 'second line\nthird line\n' },
  { name: '-f ends when the stream ends', o: { target: 'runner', follow: true }, args: ['runner', '-f'], stdout: 'first line\nsecond line\nthird line\n' },
  { name: '-f --tail 1', o: { target: 'runner', follow: true, tail: 1 }, args: ['runner', '-f', '--tail=1'], stdout: 'third line\n' },
  { name: 'deploy/NAME', o: { target: 'deploy/web' }, args: ['deploy/web'], stdout: 'first line\nsecond line\nthird line\n' },
  { name: 'several containers', o: { target: 'two' }, args: ['two'], stdout: 'first line\nsecond line\nthird line\n', stderr: 'Defaulted container "a" out of: a, b\n' },
  { name: 'unknown pod', o: { target: 'ghost' }, args: ['ghost'], stdout: '', stderr: 'error: error from server (NotFound): pods "ghost" not found in namespace "default"\n' },
];

for (const c of cases) {
  test(`mk logs: ${c.name} (as kubectl prints it)`, async () => {
    const mk = await mkLogs(c.o);
    assert.equal(mk.stdout, c.stdout);
    assert.equal(mk.stderr, c.stderr ?? '');
    const k = await fx.kubectl(['logs', ...c.args]);
    assert.deepEqual({ stdout: k.stdout, stderr: k.stderr, code: k.code }, mk);
  });
}

test('--since reads Go durations as kubectl does', () => {
  for (const [text, secs] of [['5m', 300], ['1h30m', 5400], ['10s', 10], ['1500ms', 2]] as const) assert.equal(parseDuration(text), secs, text);
  assert.throws(() => parseDuration('5x'), /invalid duration "5x"/);
});
