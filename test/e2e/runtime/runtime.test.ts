// The Docker runtime on a real engine: networks, volumes, containers joined to another's network
// namespace, exec (streams, stdin, tty, exit codes, missing executables), logs and events.
// Every object is labelled mk.test=<random> and removed in `after`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { LABELS, dockerRuntime, isConflict, isExecFailed, isNotFound } from '../../../src/runtime/index.ts';
import type { RuntimeEvent } from '../../../src/runtime/index.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { ensureTestImages, TEST_IMAGES } from '../../images/index.ts';
import { cleanup, freeSubnet, suite, waitFor } from './helpers.ts';

const s = suite();
const { rt } = s;
let net: { subnet: string; gateway: string; prefix: string };

before(async () => {
  await rt.ping();
  await ensureTestImages(rt);
  net = await freeSubnet(rt);
});
after(() => cleanup(s));

async function run(name: string, cmd: string[], extra: Partial<Parameters<typeof rt.createContainer>[0]> = {}): Promise<string> {
  const id = await rt.createContainer({ name: s.name(name), image: TEST_IMAGES.busybox, labels: { ...s.labels, [LABELS.container]: name }, cmd, ...extra });
  await rt.startContainer(id);
  return id;
}

const exited = (id: string) => waitFor(`${id} to exit`, async () => {
  const st = await rt.inspectContainer(id);
  return st.running ? undefined : st;
});

test('ping fails with a hint when no engine answers', async () => {
  await assert.rejects(dockerRuntime({ socketPath: '/nonexistent/docker.sock' }).ping(), (e: unknown) =>
    e instanceof UserError && /no Docker engine answers at \/nonexistent\/docker\.sock/.test(e.message) && /Start Docker/.test(e.hint ?? ''));
});

test('networks: create, idempotent ensure, subnet listed, conflicting subnet refused, remove twice', async () => {
  const name = s.name('net');
  const o = { name, subnet: net.subnet, gateway: net.gateway, ipRange: `${net.prefix}.0.0/24`, labels: s.labels };
  await rt.ensureNetwork(o);
  await rt.ensureNetwork(o);
  assert.ok((await rt.usedSubnets()).includes(net.subnet));
  await assert.rejects(rt.ensureNetwork({ ...o, subnet: '10.199.0.0/16', gateway: '10.199.0.1' }), (e: unknown) =>
    e instanceof UserError && e.message === `Docker network ${name} exists with subnet ${net.subnet}, not 10.199.0.0/16`);
  await rt.removeNetwork(name);
  await rt.removeNetwork(name);
  assert.ok(!(await rt.usedSubnets()).includes(net.subnet));
});

test('volumes: ensure twice, data survives containers, remove twice', async () => {
  const vol = s.name('vol');
  await rt.ensureVolume(vol, s.labels);
  await rt.ensureVolume(vol, s.labels);
  const mounts = [{ type: 'volume' as const, source: vol, target: '/data' }];
  const w = await run('vol-w', ['sh', '-c', 'echo kept > /data/f'], { mounts });
  assert.equal((await exited(w)).exitCode, 0);
  const r = await run('vol-r', ['cat', '/data/f'], { mounts });
  await exited(r);
  assert.equal(await text(await rt.logs(r)), 'kept\n');
  await rt.removeContainer(w);
  await rt.removeContainer(r);
  await rt.removeVolume(vol);
  await rt.removeVolume(vol);
});

test('a container joined to a sandbox shares its IP and hostname; labels list them', async () => {
  const netName = s.name('pods');
  await rt.ensureNetwork({ name: netName, subnet: net.subnet, gateway: net.gateway, ipRange: `${net.prefix}.0.0/24`, labels: s.labels });
  const ip = `${net.prefix}.1.7`;
  const sandbox = await run('sandbox', ['sleep', '3600'], {
    hostname: 'mypod', network: { name: netName, ip }, capAdd: ['NET_ADMIN'], labels: { ...s.labels, [LABELS.sandbox]: 'true', [LABELS.podUid]: 'u1' },
  });
  const app = await run('app', ['sleep', '3600'], { network: { containerOf: sandbox }, labels: { ...s.labels, [LABELS.podUid]: 'u1', [LABELS.container]: 'app' } });

  const st = await rt.inspectContainer(sandbox);
  assert.deepEqual(st.ips, { [netName]: ip });
  assert.equal(st.running, true);
  const ex = await rt.exec(app, ['sh', '-c', 'hostname; ip -4 -o addr show eth0 | awk \'{print $4}\'']);
  assert.equal(await text(ex.stdout), `mypod\n${ip}/16\n`);
  assert.equal(await ex.exitCode(), 0);

  const listed = await rt.listContainers({ ...s.labels, [LABELS.podUid]: 'u1' });
  assert.deepEqual(listed.map((c) => c.name).sort(), [s.name('app'), s.name('sandbox')]);
  assert.deepEqual(listed.map((c) => c.state), ['running', 'running']);

  await rt.stopContainer(app, 1);
  await rt.stopContainer(app, 1);
  assert.deepEqual((await rt.listContainers({ ...s.labels, [LABELS.podUid]: 'u1' })).map((c) => c.name), [s.name('sandbox')]);
  assert.equal((await rt.listContainers({ ...s.labels, [LABELS.podUid]: 'u1' }, true)).length, 2);
  await rt.removeContainer(app);
  await rt.removeContainer(sandbox);
  await rt.removeContainer(sandbox);
  await rt.removeNetwork(netName);
  await assert.rejects(rt.inspectContainer(sandbox), isNotFound);
});

test('exec: separate streams and exit code, stdin, tty, a missing executable', async (t) => {
  const id = await run('exec', ['sleep', '3600']);
  await t.test('stdout, stderr, exit code 3', async () => {
    const ex = await rt.exec(id, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual(await Promise.all([text(ex.stdout), text(ex.stderr)]), ['out\n', 'err\n']);
    assert.equal(await ex.exitCode(), 3);
  });
  await t.test('env and stdin to EOF', async () => {
    const ex = await rt.exec(id, ['sh', '-c', 'read x; echo "$GREETING $x"; cat'], { stdin: true, env: ['GREETING=hi'] });
    ex.stdin!.end('there\nrest\n');
    assert.equal(await text(ex.stdout), 'hi there\nrest\n');
    assert.equal(await ex.exitCode(), 0);
  });
  await t.test('tty: a terminal, CRLF line ends, resize accepted', async () => {
    const ex = await rt.exec(id, ['sh', '-c', 'tty; exit 5'], { tty: true, stdin: true });
    await ex.resize(120, 40);
    assert.match(await text(ex.stdout), /^\/dev\/pts\/\d+\r\n$/);
    assert.equal(await ex.exitCode(), 5);
  });
  await t.test('executable not found: ExecFailed with the engine\'s words, nothing on stdout', async () => {
    const ex = await rt.exec(id, ['bash']);
    assert.equal(await text(ex.stdout), '');
    await assert.rejects(ex.exitCode(), (e: unknown) => isExecFailed(e) && /exec: "bash": executable file not found in \$PATH/.test((e as Error).message));
  });
});

test('attach: stdin once to the main process, separate streams; a tty shell answers, resizes, and its exit ends the attach', async (t) => {
  await t.test('no tty, stdinOnce: EOF from the client closes the container\'s stdin', async () => {
    const id = await run('attach-once', ['sh', '-c', 'read x; echo "got $x"; echo warn >&2; cat; echo end'], { openStdin: true, stdinOnce: true });
    const a = await rt.attach(id, { stdin: true });
    a.stdin!.end('one\nrest\n');
    assert.deepEqual(await Promise.all([text(a.stdout), text(a.stderr)]), ['got one\nrest\nend\n', 'warn\n']);
    await a.ended;
    assert.equal((await exited(id)).exitCode, 0);
  });
  await t.test('tty: a shell at a prompt, a resize, a typed command, exit 4', async () => {
    const id = await run('attach-tty', ['sh'], { openStdin: true, stdinOnce: true, tty: true });
    const a = await rt.attach(id, { stdin: true, tty: true });
    let out = '';
    a.stdout.on('data', (d: Buffer) => (out += d));
    await a.resize(100, 30);
    a.stdin!.write('stty size; echo typed-$((6*7))\n');
    await waitFor('the typed command\'s output', async () => (/typed-42\r\n/.test(out) ? true : undefined));
    assert.match(out, /30 100\r\n/);
    a.stdin!.write('exit 4\n');
    await a.ended;
    assert.equal((await exited(id)).exitCode, 4);
    assert.equal(await text(a.stderr), '');
  });
  await t.test('detach leaves the container running', async () => {
    const id = await run('attach-detach', ['sh'], { openStdin: true, tty: true });
    const a = await rt.attach(id, { stdin: true, tty: true });
    a.detach();
    await a.ended;
    assert.equal((await rt.inspectContainer(id)).running, true);
  });
  await t.test('an exited container: Conflict at once (the engine alone would hold the attach open forever)', async () => {
    // what `kubectl run -i --rm` meets when the command ends between "Running" and its attach
    const id = await run('attach-exited', ['sh', '-c', 'echo done'], { openStdin: true, stdinOnce: true });
    await exited(id);
    await assert.rejects(rt.attach(id, { stdin: true }), (e: unknown) => isConflict(e) && /is not running/.test((e as Error).message));
  });
});

test('logs: merged streams, tail, timestamps, follow', async () => {
  const id = await run('logs', ['sh', '-c', 'echo one; echo two >&2; echo three']);
  await exited(id);
  // stdout keeps its order; where stderr's line lands between them is up to the engine's pipes
  const merged = (await text(await rt.logs(id))).split('\n');
  assert.deepEqual(merged.filter((l) => l !== 'two'), ['one', 'three', '']);
  assert.ok(merged.includes('two'));
  const only = await run('logs-tail', ['sh', '-c', 'echo a; echo b; echo c']);
  await exited(only);
  assert.equal(await text(await rt.logs(only, { tail: 2 })), 'b\nc\n');
  const stamped = (await text(await rt.logs(id, { timestamps: true }))).split('\n').filter(Boolean);
  assert.equal(stamped.length, 3);
  for (const l of stamped) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (one|two|three)$/);

  const live = await run('logs-f', ['sh', '-c', 'echo first; sleep 1; echo second']);
  assert.equal(await text(await rt.logs(live, { follow: true })), 'first\nsecond\n');
});

test('events: start and die with the exit code, filtered by label', async () => {
  const ac = new AbortController();
  const mine = { ...s.labels, [LABELS.podUid]: 'ev' };
  const seen: RuntimeEvent[] = [];
  const reading = (async () => {
    for await (const e of rt.events(mine, ac.signal)) {
      seen.push(e);
      if (e.action === 'die') ac.abort();
    }
  })();
  await new Promise((r) => setTimeout(r, 200)); // let the event stream open before the container starts
  const other = await run('ev-other', ['true']);
  const id = await run('ev', ['sh', '-c', 'exit 7'], { labels: mine });
  await reading;
  assert.deepEqual(seen.filter((e) => ['start', 'die'].includes(e.action)).map((e) => [e.action, e.id, e.labels[LABELS.podUid], e.exitCode]),
    [['start', id, 'ev', undefined], ['die', id, 'ev', 7]]);
  assert.ok(!seen.some((e) => e.id === other));
});

test('creating a container of a missing image is NotFound; a taken name is a Conflict', async () => {
  await assert.rejects(rt.createContainer({ name: s.name('noimg'), image: 'mk-test/does-not-exist:0', labels: s.labels }), isNotFound);
  await run('dup', ['true']);
  await assert.rejects(run('dup', ['true']), (e: unknown) => (e as { code?: string }).code === 'Conflict');
});
