// SpdySession in the server role against a scripted client on an in-memory duplex pair: replies,
// pings, data with window updates, FIN in both directions, resets, and the GOAWAY on close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplexPair } from 'node:stream';
import * as f from './frames.ts';
import { scriptedPeer } from './scripted-peer.ts';
import { SpdySession } from './session.ts';
import type { SpdyStream } from './stream.ts';

function setup() {
  const [a, b] = duplexPair();
  const streams: SpdyStream[] = [];
  const session = new SpdySession(a, { role: 'server', onStream: (s) => streams.push(s) });
  return { session, streams, c: scriptedPeer(b) };
}

test('a client stream gets a SYN_REPLY, its headers, its data (with WINDOW_UPDATE) and its FIN', async () => {
  const { session, streams, c } = setup();
  await c.open(1, { streamtype: 'stdin' });
  c.send(f.dataFrame(1, 0, Buffer.from('abc')));
  c.send(f.dataFrame(1, f.FLAG_FIN, Buffer.from('de')));
  await c.settle();
  assert.equal(streams.length, 1);
  assert.equal(streams[0].header('streamtype'), 'stdin');
  const chunks: Buffer[] = [];
  streams[0].on('data', (d: Buffer) => chunks.push(d));
  await new Promise((r) => streams[0].on('end', r));
  assert.equal(Buffer.concat(chunks).toString(), 'abcde');
  assert.deepEqual(c.frames, [
    { type: 'syn_reply', streamId: 1, flags: 0, headers: {} },
    { type: 'window_update', streamId: 1, delta: 3 },
    { type: 'window_update', streamId: 1, delta: 2 },
  ]);
  await session.close();
  c.close();
});

test('writing and ending a stream sends DATA then an empty DATA with FIN; close sends GOAWAY', async () => {
  const { session, streams, c } = setup();
  await c.open(1, { streamtype: 'stdout' });
  await c.settle();
  await new Promise<void>((r) => streams[0].end('out', () => r()));
  await session.close();
  await c.settle();
  assert.deepEqual(c.frames, [
    { type: 'syn_reply', streamId: 1, flags: 0, headers: {} },
    { type: 'data', streamId: 1, flags: 0, data: Buffer.from('out') },
    { type: 'data', streamId: 1, flags: f.FLAG_FIN, data: Buffer.alloc(0) },
    { type: 'goaway', lastGoodStreamId: 1, status: 0 },
  ]);
  c.close();
});

test("the client's PINGs are echoed; invalid stream ids and data for unknown streams are refused", async () => {
  const { session, streams, c } = setup();
  c.send(f.ping(1));
  await c.open(3, { streamtype: 'error' });
  await c.open(2, { streamtype: 'error' }); // even: server-initiated ids are not the client's to use
  await c.open(3, { streamtype: 'error' }); // reused
  c.send(f.dataFrame(9, 0, Buffer.from('x')));
  await c.settle();
  assert.equal(streams.length, 1);
  assert.deepEqual(c.frames, [
    { type: 'ping', id: 1 },
    { type: 'syn_reply', streamId: 3, flags: 0, headers: {} },
    { type: 'rst_stream', streamId: 2, status: f.RST.PROTOCOL_ERROR },
    { type: 'rst_stream', streamId: 3, status: f.RST.PROTOCOL_ERROR },
    { type: 'rst_stream', streamId: 9, status: f.RST.INVALID_STREAM },
  ]);
  await session.close();
  c.close();
});

test('RST_STREAM from the client destroys the stream; the session closing ends the others', async () => {
  const { session, streams, c } = setup();
  await c.open(1, { streamtype: 'data' });
  await c.open(3, { streamtype: 'data' });
  await c.settle();
  const ended = new Promise((r) => streams[1].on('end', r));
  streams[1].resume();
  c.send(f.rstStream(1, f.RST.CANCEL));
  await c.settle();
  assert.equal(streams[0].destroyed, true);
  session.destroy();
  await ended;
  c.close();
});
