// The one shell the netfilter tools run from: input through a file, output and exit code back,
// runs one after another in the order asked, a missing program's "not found", large outputs,
// and a shell that died started again. Then hostNetfilter's reading of conntrack's counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostNetfilter, shellRun, type Run } from './netfilter.ts';

test('shellRun: stdin from the input, stdout and the exit code back, in order', async () => {
  const run = shellRun();
  try {
    const [a, b, c] = await Promise.all([
      run('cat', [], 'line one\nit\'s two\n'),
      run('sh', ['-c', 'echo out; echo err >&2; exit 3']),
      run('printf', ['%s|', 'a b', "c'd"]),
    ]);
    assert.deepEqual(a, { code: 0, stdout: 'line one\nit\'s two\n', stderr: 'line one\nit\'s two\n' });
    assert.equal(b.code, 3);
    assert.equal(b.stdout, 'out\nerr\n');
    assert.equal(c.stdout, "a b|c'd|");
    const missing = await run('no-such-tool-here', ['x']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /not found/);
    const big = await run('sh', ['-c', 'i=0; while [ $i -lt 20000 ]; do echo "line $i of a long iptables-save"; i=$((i+1)); done']);
    assert.equal(big.stdout.split('\n').length, 20001);
    // the shell gone: the next run starts another
    await run('sh', ['-c', 'kill $PPID']);
    assert.equal((await run('echo', ['again'])).stdout, 'again\n');
  } finally {
    run.close();
  }
});

test('hostNetfilter: conntrack -D finding nothing is not an error', async () => {
  const answers: Record<string, { code: number; text: string }> = {
    none: { code: 1, text: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n' },
    two: { code: 0, text: 'udp 17 29 src=… \nconntrack v1.4.7 (conntrack-tools): 2 flow entries have been deleted.\n' },
    broken: { code: 1, text: 'conntrack v1.4.7 (conntrack-tools): Operation failed: invalid parameters\n' },
  };
  const run: Run = async (_file, args) => { const a = answers[args.at(-1)!]!; return { code: a.code, stdout: a.text, stderr: a.text }; };
  const nf = hostNetfilter(run);
  assert.equal(await nf.conntrackDelete(['-p', 'udp', 'none']), 0);
  assert.equal(await nf.conntrackDelete(['-p', 'udp', 'two']), 2);
  await assert.rejects(nf.conntrackDelete(['-p', 'udp', 'broken']), /conntrack -D -p udp broken: .*invalid parameters/);
});
