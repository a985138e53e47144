// Real kubectl exec against the stand-in: SPDY/3.1 (1.27, 1.29) and WebSocket v5 (1.30, 1.33).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { localExec, localPortForward, startStandIn } from './stand-in.ts';
import type { StandIn } from './stand-in.ts';
import { kubectl } from './run.ts';

let s: StandIn;
before(async () => {
  s = await startStandIn(localExec, localPortForward);
});
after(async () => {
  await s?.close();
});

const VERSIONS = [
  { minor: 27, upgrade: 'SPDY/3.1' },
  { minor: 29, upgrade: 'SPDY/3.1' },
  { minor: 30, upgrade: 'websocket' },
  { minor: 33, upgrade: 'websocket' },
];

for (const v of VERSIONS) {
  describe(`kubectl 1.${v.minor} exec (${v.upgrade})`, () => {
    test('stdout and stderr apart, exit code passed through', async () => {
      const seen = s.upgrades.length;
      const r = await kubectl(s, v.minor, ['exec', 'p', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.deepEqual(r, { stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n', exitCode: 3 });
      assert.equal(s.upgrades[seen]?.upgrade.toLowerCase(), v.upgrade.toLowerCase());
    });

    test('success is exit code 0 with nothing on stderr', async () => {
      const r = await kubectl(s, v.minor, ['exec', 'p', '-c', 'c', '--', 'echo', 'hello']);
      assert.deepEqual(r, { stdout: 'hello\n', stderr: '', exitCode: 0 });
    });

    test('-i: piped stdin reaches the command and its EOF ends it', async () => {
      const r = await kubectl(s, v.minor, ['exec', '-i', 'p', '--', 'sh', '-c', 'tr a-z A-Z; echo done'], 'one\ntwo\n');
      assert.deepEqual(r, { stdout: 'ONE\nTWO\ndone\n', stderr: '', exitCode: 0 });
    });

    test('large output arrives whole', async () => {
      const r = await kubectl(s, v.minor, ['exec', 'p', '--', 'sh', '-c', 'head -c 300000 /dev/zero | tr "\\0" x']);
      assert.equal(r.exitCode, 0);
      assert.equal(r.stdout.length, 300000);
    });

    test('a missing executable: the runtime message after "Internal error occurred"', async () => {
      const r = await kubectl(s, v.minor, ['exec', 'p', '--', 'no-such-shell']);
      assert.equal(r.exitCode, 1);
      assert.equal(
        r.stderr,
        'error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "no-such-shell": executable file not found in $PATH: unknown\n',
      );
    });
  });
}
