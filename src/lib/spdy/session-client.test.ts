// SpdySession in the client role (mk's own port-forward) against a scripted server, and a client
// session talking to a server session: odd stream ids, waiting for SYN_REPLY, the server's pings,
// refused pushes, refused and lost streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplexPair } from 'node:stream';
import * as f from './frames.ts';
import { scriptedPeer } from './scripted-peer.ts';
import { SpdySession } from './session.ts';
import type { SpdyStream } from './stream.ts';

function setup() {
  const [a, b] = duplexPair();
  return { session: new SpdySession(a, { role: 'client' }), s: scriptedPeer(b) };
}

test('open() sends SYN_STREAMs with odd ids and resolves on the SYN_REPLY; data flows both ways', async () => {
  const { session, s } = setup();
  const opened = session.open({ streamtype: 'data', port: '80' });
  const second = session.open({ streamtype: 'error', port: '80' });
  await s.settle();
  await s.reply(1);
  const stream = await opened;
  assert.equal(stream.id, 1);
  assert.equal(stream.header('port'), '80');
  s.send(f.dataFrame(1, f.FLAG_FIN, Buffer.from('hello')));
  const chunks: Buffer[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d));
  await new Promise((r) => stream.on('end', r));
  await new Promise<void>((r) => stream.end('bye', () => r()));
  await s.reply(3);
  assert.equal((await second).id, 3);
  await session.close();
  await s.settle();
  assert.equal(Buffer.concat(chunks).toString(), 'hello');
  assert.deepEqual(s.frames, [
    { type: 'syn_stream', streamId: 1, associatedTo: 0, priority: 0, slot: 0, flags: 0, headers: { streamtype: 'data', port: '80' } },
    { type: 'syn_stream', streamId: 3, associatedTo: 0, priority: 0, slot: 0, flags: 0, headers: { streamtype: 'error', port: '80' } },
    { type: 'window_update', streamId: 1, delta: 5 },
    { type: 'data', streamId: 1, flags: 0, data: Buffer.from('bye') },
    { type: 'data', streamId: 1, flags: f.FLAG_FIN, data: Buffer.alloc(0) },
    { type: 'goaway', lastGoodStreamId: 0, status: 0 },
  ]);
  s.close();
});

test("the server's (even) PINGs are echoed, odd ones are not; a pushed stream is refused", async () => {
  const { session, s } = setup();
  s.send(f.ping(2));
  s.send(f.ping(1));
  await s.open(2, { streamtype: 'push' });
  await s.settle();
  assert.deepEqual(s.frames, [
    { type: 'ping', id: 2 },
    { type: 'rst_stream', streamId: 2, status: f.RST.REFUSED_STREAM },
  ]);
  session.destroy();
  s.close();
});

test('a stream the server resets before replying, and one pending when the connection goes, reject', async () => {
  const { session, s } = setup();
  const refused = session.open({ streamtype: 'data' });
  const lost = session.open({ streamtype: 'data' });
  await s.settle();
  s.send(f.rstStream(1, f.RST.REFUSED_STREAM));
  await assert.rejects(refused, { message: `stream 1 refused by the server (status ${f.RST.REFUSED_STREAM})` });
  session.destroy();
  await assert.rejects(lost, { message: 'lost connection to pod' });
  await assert.rejects(session.open({}), { message: 'the SPDY connection is closed' });
  s.close();
});

test('a client session and a server session carry a stream between them', async () => {
  const [a, b] = duplexPair();
  const served: SpdyStream[] = [];
  const server = new SpdySession(a, {
    role: 'server',
    onStream(stream) {
      served.push(stream);
      stream.pipe(stream); // echo
    },
  });
  const client = new SpdySession(b, { role: 'client' });
  const stream = await client.open({ streamtype: 'data' });
  const chunks: Buffer[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d));
  stream.end('ping-pong');
  await new Promise((r) => stream.on('end', r));
  assert.equal(Buffer.concat(chunks).toString(), 'ping-pong');
  assert.equal(served[0].header('streamtype'), 'data');
  const closed = new Promise((r) => client.on('close', r));
  await server.close();
  await closed;
});
