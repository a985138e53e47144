// mk exec against the in-process API server, compared with what kubectl 1.33 prints for the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { runExecCommand } from '../../src/cli/exec.ts';
import type { TerminalIO } from '../../src/cli/exec.ts';
import { formatError } from '../../src/cli/errors.ts';
import { resizes, startFixture, sink } from './harness.ts';
import type { Fixture } from './harness.ts';

let fx: Fixture;
before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

/** Runs mk exec in process: stdout, stderr (including the printed error) and the exit code. */
async function mkExec(args: { target: string; container?: string; stdin?: string; command: string[] }) {
  const stdout = sink();
  const stderr = sink();
  const io = { stdin: args.stdin !== undefined ? Readable.from([Buffer.from(args.stdin)]) : Readable.from([]), stdout, stderr } as unknown as TerminalIO;
  let code: number;
  try {
    code = await runExecCommand(fx.client, fx.conn, { target: args.target, container: args.container, stdin: args.stdin !== undefined, tty: false, command: args.command }, io);
  } catch (e) {
    stderr.write(`${formatError(e)}\n`);
    code = 1;
  }
  await new Promise((r) => setImmediate(r));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const cases: { name: string; target: string; container?: string; stdin?: string; command: string[]; stdout: string; stderr: string; code: number }[] = [
  { name: 'stdout, stderr and exit code 3', target: 'runner', command: ['sh', '-c', 'echo out; echo err >&2; exit 3'], stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n', code: 3 },
  { name: 'success', target: 'runner', command: ['sh', '-c', 'echo fine'], stdout: 'fine\n', stderr: '', code: 0 },
  { name: 'stdin piped (-i)', target: 'runner', stdin: 'hello\nworld\n', command: ['sh', '-c', 'wc -l; cat >/dev/null'], stdout: '2\n', stderr: '', code: 0 },
  { name: 'several containers and no -c', target: 'two', command: ['sh', '-c', 'echo x'], stdout: 'x\n', stderr: 'Defaulted container "a" out of: a, b\n', code: 0 },
  { name: 'deploy/NAME resolves to its pod', target: 'deploy/web', command: ['sh', '-c', 'echo via-deploy'], stdout: 'via-deploy\n', stderr: '', code: 0 },
  { name: 'svc/NAME resolves to its pod', target: 'svc/web', command: ['sh', '-c', 'echo via-svc'], stdout: 'via-svc\n', stderr: '', code: 0 },
  { name: 'unknown container', target: 'runner', container: 'nope', command: ['true'], stdout: '', stderr: 'Error from server (BadRequest): container nope is not valid for pod runner\n', code: 1 },
  { name: 'unknown pod', target: 'ghost', command: ['true'], stdout: '', stderr: 'Error from server (NotFound): pods "ghost" not found\n', code: 1 },
];

for (const c of cases) {
  test(`mk exec: ${c.name} (as kubectl prints it)`, async () => {
    const mk = await mkExec(c);
    assert.deepEqual(mk, { code: c.code, stdout: c.stdout, stderr: c.stderr });
    const k = await fx.kubectl(['exec', ...(c.stdin !== undefined ? ['-i'] : []), ...(c.container ? ['-c', c.container] : []), c.target, '--', ...c.command], c.stdin);
    assert.deepEqual(k, mk, 'kubectl 1.33 prints the same');
  });
}

test('mk exec: a missing executable gives kubectl\'s error and suggests sh', async () => {
  const mk = await mkExec({ target: 'runner', command: ['no-such-bash'] });
  const k = await fx.kubectl(['exec', 'runner', '--', 'no-such-bash']);
  const [first, hint] = mk.stderr.split('\n');
  assert.equal(`${first}\n`, k.stderr);
  assert.match(first!, /^error: Internal error occurred: .*exec: "no-such-bash": executable file not found in \$PATH/);
  assert.equal(hint, '"no-such-bash" is not in the container\'s image; try sh instead: mk exec -it runner -- sh');
  assert.equal(mk.code, 1);
  assert.equal(k.code, 1);
});

test('mk exec -it: raw mode while it runs, the initial size and a resize on channel 4, terminal restored', async () => {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, raw: [] as boolean[], setRawMode(r: boolean) { this.raw.push(r); } });
  const stdout = Object.assign(sink(), { isTTY: true, columns: 100, rows: 30 });
  const stderr = sink();
  resizes.length = 0;
  const run = runExecCommand(fx.client, fx.conn, { target: 'runner', stdin: true, tty: true, command: ['sh', '-c', 'read x; echo "got $x"'] }, { stdin, stdout, stderr } as unknown as TerminalIO);
  for (let i = 0; i < 500 && resizes.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
  stdout.columns = 120;
  stdout.rows = 40;
  stdout.emit('resize');
  for (let i = 0; i < 500 && resizes.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(stdin.raw, [true]);
  stdin.end('hi\n');
  assert.equal(await run, 0);
  assert.deepEqual(resizes, [{ width: 100, height: 30 }, { width: 120, height: 40 }]);
  assert.deepEqual(stdin.raw, [true, false]);
  assert.equal(stdout.text(), 'got hi\n');
  assert.equal(stderr.text(), '');
});
