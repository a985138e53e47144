// `mk ssh -- CMD` when CMD cannot start: the engine's own words on stderr and docker's exit code
// (127 not found, 126 not executable), never a crash of mk; a command that ran gives its code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { RuntimeError, execFailureExitCode } from '../runtime/errors.ts';
import type { ExecSession, Runtime } from '../runtime/types.ts';
import { FakeRuntime } from './fake-runtime.test-helper.ts';
import { sshNode, type Terminal } from './ssh.ts';

const NOT_FOUND = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown';
const NOT_EXECUTABLE = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "/etc": permission denied: unknown';

test('the exit code of a command that cannot start', () => {
  const cases: [string, number][] = [
    [NOT_FOUND, 127],
    ['OCI runtime exec failed: exec failed: unable to start container process: exec: "/x/y": stat /x/y: no such file or directory: unknown', 127],
    [NOT_EXECUTABLE, 126],
  ];
  for (const [message, code] of cases) assert.equal(execFailureExitCode(message), code, message);
});

async function ssh(outcome: { code?: number; failure?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  const f = new FakeRuntime();
  const rt = f.asRuntime();
  await rt.startContainer(await rt.createContainer({ name: 'mk', image: 'x', labels: { 'mk.cluster': 'mk', 'mk.role': 'control-plane', 'mk.node': 'mk' } }));
  rt.exec = async (): Promise<ExecSession> => ({
    stdin: null, stdout: Readable.from([]), stderr: Readable.from([]), async resize() {},
    async exitCode() {
      if (outcome.failure) throw new RuntimeError('ExecFailed', outcome.failure);
      return outcome.code ?? 0;
    },
  });
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (c) => (stdout += c));
  const err = new PassThrough().on('data', (c) => (stderr += c));
  const term = { stdin: new PassThrough(), stdout: Object.assign(out, { isTTY: false }), stderr: err } as unknown as Terminal;
  const code = await sshNode(rt as Runtime, 'mk', { command: ['nosuchcmd'], tty: false }, term);
  return { code, stdout, stderr };
}

test('mk ssh -- CMD: the engine\'s message and docker\'s exit code when CMD cannot start', async () => {
  assert.deepEqual(await ssh({ failure: NOT_FOUND }), { code: 127, stdout: '', stderr: `${NOT_FOUND}\n` });
  assert.deepEqual(await ssh({ failure: NOT_EXECUTABLE }), { code: 126, stdout: '', stderr: `${NOT_EXECUTABLE}\n` });
  assert.deepEqual(await ssh({ code: 3 }), { code: 3, stdout: '', stderr: '' });
});
