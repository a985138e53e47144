// Real kubectl attach against the stand-in: SPDY/3.1 (1.27, 1.29) and WebSocket v5 (1.30, 1.33)
// carry the main process's streams; the attachment ends with Success when the process does,
// whatever its exit code (as the kubelet reports it). A scripted WebSocket client covers what
// kubectl does only in a terminal: the TTY flag and resize messages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import type { AttachBackend, AttachRequest } from '../../src/apiserver/streams/index.ts';
import { localAttach, localExec, localPortForward, startStandIn } from './stand-in.ts';
import type { StandIn } from './stand-in.ts';
import { kubectl } from './run.ts';

const seen: AttachRequest[] = [];
const resizes: [number, number][] = [];
const main = localAttach(['sh', '-c', 'read x; echo "got $x"; echo note >&2; exit 5']);
/** The main process above; a "TTY" request gets stdout only, its sizes recorded. */
const recording: AttachBackend = {
  async attach(req) {
    seen.push(req);
    const p = await main.attach({ ...req, tty: false });
    if (!req.tty) return p;
    p.stderr?.resume();
    return { stdin: p.stdin, stdout: p.stdout, resize: (w, h) => resizes.push([w, h]), exitCode: p.exitCode };
  },
};

let s: StandIn;
before(async () => {
  s = await startStandIn(localExec, localPortForward, recording);
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
  describe(`kubectl 1.${v.minor} attach (${v.upgrade})`, () => {
    test('-i: piped stdin reaches the main process, its stdout and stderr come back, exit 0', async () => {
      const before = s.upgrades.length;
      const r = await kubectl(s, v.minor, ['attach', '-i', 'p'], 'hello\n');
      assert.deepEqual(r, { stdout: 'got hello\n', stderr: "If you don't see a command prompt, try pressing enter.\nnote\n", exitCode: 0 });
      assert.equal(s.upgrades[before]?.upgrade.toLowerCase(), v.upgrade.toLowerCase());
      assert.deepEqual(seen.at(-1), { namespace: 'default', pod: 'p', container: 'c', stdin: true, stdout: true, stderr: true, tty: false });
    });

    test('-q without -i: output only, no stdin asked for', async () => {
      const r = await kubectl(s, v.minor, ['attach', '-q', 'p', '-c', 'c']);
      assert.deepEqual(r, { stdout: 'got \n', stderr: 'note\n', exitCode: 0 });
      assert.equal(seen.at(-1)?.stdin, false);
    });
  });
}

function wsAttach(query: string, script: (ws: WebSocket) => void): Promise<{ protocol: string; out: Map<number, string>; closeCode: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${s.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/attach?${query}`, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
      ca: s.caPem,
      headers: { Authorization: `Bearer ${s.token}` },
    });
    const out = new Map<number, string>();
    ws.on('open', () => script(ws));
    ws.on('message', (d: Buffer) => out.set(d[0], (out.get(d[0]) ?? '') + d.subarray(1).toString()));
    ws.on('close', (code) => resolve({ protocol: ws.protocol, out, closeCode: code }));
    ws.on('error', reject);
  });
}

const send = (ws: WebSocket, ch: number, text: string) => ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(text)]));

test('WebSocket v5 with a TTY: sizes reach the backend, one output channel, Success on channel 3, close 1000', async () => {
  resizes.length = 0;
  const r = await wsAttach('container=c&stdin=true&stdout=true&tty=true', (ws) => {
    send(ws, 4, '{"Width":81,"Height":25}');
    send(ws, 4, '{"Width":80,"Height":24}');
    send(ws, 0, 'typed\n');
  });
  assert.equal(r.protocol, 'v5.channel.k8s.io');
  assert.equal(r.out.get(1), 'got typed\n');
  assert.equal(r.out.get(2), undefined);
  assert.deepEqual(JSON.parse(r.out.get(3) ?? ''), { metadata: {}, status: 'Success' });
  assert.equal(r.closeCode, 1000);
  assert.deepEqual(resizes, [[81, 25], [80, 24]]);
  assert.equal(seen.at(-1)?.tty, true);
});
