// The service range held as a local route: added once, left alone when present, and a clear
// error (with the NET_ADMIN hint) when `ip` refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdServiceRange, ServiceRouteError } from '../../src/agent/proxy/route.ts';

function fakeIp(localTable: string, fail?: string) {
  const calls: string[] = [];
  const run = async (args: string[]) => {
    calls.push(args.join(' '));
    if (args[1] === 'add' && fail) throw Object.assign(new Error('Command failed'), { stderr: fail });
    return { stdout: args[1] === 'show' ? localTable : '', stderr: '' };
  };
  return { calls, run };
}

test('adds the local route when missing', async () => {
  const ip = fakeIp('local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1\n');
  assert.equal(await holdServiceRange('10.96.0.0/12', ip.run), 'added');
  assert.deepEqual(ip.calls, ['route show table local', 'route add local 10.96.0.0/12 dev lo']);
});

test('present already (a restarted agent): nothing to do', async () => {
  const ip = fakeIp('local 10.96.0.0/12 dev lo scope host \nlocal 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1\n');
  assert.equal(await holdServiceRange('10.96.0.0/12', ip.run), 'present');
  assert.deepEqual(ip.calls, ['route show table local']);
  assert.equal(await holdServiceRange('10.96.0.0/12', fakeIp('', 'RTNETLINK answers: File exists').run), 'present');
});

test('refused: the error names the command and the missing capability', async () => {
  await assert.rejects(holdServiceRange('10.96.0.0/12', fakeIp('', 'RTNETLINK answers: Operation not permitted').run), (e: Error) => {
    assert.ok(e instanceof ServiceRouteError);
    assert.equal(e.message, 'proxy: cannot route the service range 10.96.0.0/12 to this node with "ip route add local 10.96.0.0/12 dev lo": RTNETLINK answers: Operation not permitted (the node container needs the NET_ADMIN capability)');
    return true;
  });
});
