// exec over WebSocket driven by a scripted client (what kubectl cannot be made to do without a
// terminal): TTY with resize messages, v5 stdin close, the v4 fallback, and refused offers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { WebSocket } from 'ws';
import { localExec, localPortForward, startStandIn } from './stand-in.ts';
import type { StandIn } from './stand-in.ts';
import type { ExecBackend, ExecRequest } from '../../src/apiserver/streams/index.ts';

let s: StandIn;
const resizes: [number, number][] = [];
const seen: ExecRequest[] = [];
/** Runs the command locally; a "TTY" request gets stdout only (stderr merged, as a terminal would). */
const recording: ExecBackend = {
  async exec(req) {
    seen.push(req);
    const p = await localExec.exec({ ...req, tty: false });
    if (!req.tty) return p;
    p.stderr?.resume();
    return { stdin: p.stdin, stdout: p.stdout, resize: (w, h) => resizes.push([w, h]), exitCode: p.exitCode };
  },
};

before(async () => {
  s = await startStandIn(recording, localPortForward);
});
after(async () => {
  await s?.close();
});

interface Session {
  protocol: string;
  out: Map<number, string>;
  closeCode: number;
}

function wsExec(query: string, protocols: string[], script: (ws: WebSocket) => void = () => undefined): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${s.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/exec?${query}`, protocols, {
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

test('v5 with a TTY: resize messages reach the backend, [255, 0] ends stdin, status on channel 3, close 1000', async () => {
  resizes.length = 0;
  const r = await wsExec('command=sh&command=-c&command=cat%3B+echo+bye&stdin=true&stdout=true&tty=true', ['v5.channel.k8s.io', 'v4.channel.k8s.io'], (ws) => {
    send(ws, 4, '{"Width":80,"Height":24}');
    send(ws, 0, 'typed\n');
    send(ws, 4, '{"Width":100,"Height":40}');
    setTimeout(() => ws.send(Buffer.from([255, 0])), 50);
  });
  assert.equal(r.protocol, 'v5.channel.k8s.io');
  assert.equal(r.out.get(1), 'typed\nbye\n');
  assert.equal(r.out.get(2), undefined);
  assert.deepEqual(JSON.parse(r.out.get(3) ?? ''), { metadata: {}, status: 'Success' });
  assert.equal(r.closeCode, 1000);
  assert.deepEqual(resizes, [
    [80, 24],
    [100, 40],
  ]);
  assert.equal(seen.at(-1)?.tty, true);
});

test('v4 fallback: same channels, exit code in the status', async () => {
  const r = await wsExec('command=sh&command=-c&command=echo+o%3B+echo+e+>%262%3B+exit+7&stdout=true&stderr=true', ['v4.channel.k8s.io']);
  assert.equal(r.protocol, 'v4.channel.k8s.io');
  assert.equal(r.out.get(1), 'o\n');
  assert.equal(r.out.get(2), 'e\n');
  assert.deepEqual(JSON.parse(r.out.get(3) ?? '').details, { causes: [{ reason: 'ExitCode', message: '7' }] });
});

/** A raw upgrade request; resolves with the status line and body of a refusal. */
function rawUpgrade(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, { method: 'POST', ca: s.caPem, headers: { Authorization: `Bearer ${s.token}`, Connection: 'Upgrade', ...headers } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('unexpected upgrade')));
    req.on('error', reject);
    req.end();
  });
}

test('offers we do not serve are refused with the kubelet message', async () => {
  const exec = '/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true';
  assert.deepEqual(await rawUpgrade(exec, { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'channel.k8s.io' }), {
    status: 403,
    body: 'unable to upgrade: unable to negotiate protocol: client supports [channel.k8s.io], server supports [v4.channel.k8s.io v5.channel.k8s.io]\n',
  });
  assert.deepEqual(await rawUpgrade('/api/v1/namespaces/default/pods/p/portforward', { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' }), {
    status: 403,
    body: 'unable to upgrade: unable to negotiate protocol: client supports [v4.channel.k8s.io], server supports [portforward.k8s.io]\n',
  });
  assert.equal((await rawUpgrade(exec, { Upgrade: 'h2c' })).status, 400);
});
