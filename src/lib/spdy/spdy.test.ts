// The SPDY/3.1 framer: the dictionary's bytes, frame layouts, header blocks through the zlib
// contexts, and SYN_STREAMs captured from kubectl 1.27 (`exec p -- echo hi`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.ts';
import * as f from './frames.ts';
import type { Frame } from './frames.ts';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor } from './headers.ts';

test('the SPDY/3 dictionary is byte for byte the one kubectl uses', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex'), '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  assert.equal(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\u0007options');
  assert.ok(SPDY3_DICTIONARY.toString('latin1').endsWith('utf-,*,enq=0.'));
});

// Three frames as kubectl 1.27 sent them after the 101 (error, stdout, stderr streams).
const CAPTURED =
  '80030001000000290000000100000000000078f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff' +
  '800300010000001900000003000000000000c22ac5565c92925f5a02000000ffff' +
  '800300010000001500000005000000000000c229975a5404000000ffff';

test('captured kubectl SYN_STREAMs decode to the exec stream types', async () => {
  const buf = Buffer.from(CAPTURED, 'hex');
  const inflate = new HeaderDecompressor();
  const got: Frame[] = [];
  let at = 0;
  for (let cut = f.cutFrame(buf, at); cut; cut = f.cutFrame(buf, at)) {
    const raw = cut.frame;
    assert.ok(raw.control);
    const headers = await inflate.decompress(raw.payload.subarray(f.headerBlockOffset(raw.type)));
    got.push(f.decodeFrame(raw, headers) as Frame);
    at = cut.next;
  }
  inflate.close();
  assert.equal(at, buf.length);
  assert.deepEqual(
    got.map((fr) => (fr.type === 'syn_stream' ? [fr.streamId, fr.associatedTo, fr.priority, fr.flags, fr.headers] : fr.type)),
    [
      [1, 0, 0, 0, { streamtype: 'error' }],
      [3, 0, 0, 0, { streamtype: 'stdout' }],
      [5, 0, 0, 0, { streamtype: 'stderr' }],
    ],
  );
});

test('control frames without header blocks: exact bytes and round trip', () => {
  const cases: { name: string; bytes: Buffer; hex: string; frame: Frame }[] = [
    { name: 'PING', bytes: f.ping(7), hex: '80030006' + '00000004' + '00000007', frame: { type: 'ping', id: 7 } },
    { name: 'RST_STREAM cancel', bytes: f.rstStream(5, f.RST.CANCEL), hex: '800300030000000800000005' + '00000005', frame: { type: 'rst_stream', streamId: 5, status: 5 } },
    { name: 'GOAWAY', bytes: f.goaway(3, 0), hex: '800300070000000800000003' + '00000000', frame: { type: 'goaway', lastGoodStreamId: 3, status: 0 } },
    { name: 'WINDOW_UPDATE', bytes: f.windowUpdate(1, 65536), hex: '800300090000000800000001' + '00010000', frame: { type: 'window_update', streamId: 1, delta: 65536 } },
    {
      name: 'SETTINGS initial window',
      bytes: f.settings(0, [{ flags: 0, id: 7, value: 1 << 20 }]),
      hex: '80030004' + '0000000c' + '00000001' + '00000007' + '00100000',
      frame: { type: 'settings', flags: 0, settings: [{ flags: 0, id: 7, value: 1 << 20 }] },
    },
  ];
  for (const c of cases) {
    assert.equal(c.bytes.toString('hex'), c.hex, c.name);
    const cut = f.cutFrame(c.bytes, 0);
    assert.ok(cut, c.name);
    assert.deepEqual(f.decodeFrame(cut.frame), c.frame, c.name);
  }
});

test('DATA frames: stream id, FIN flag, payload; partial input waits for more', () => {
  const bytes = f.dataFrame(3, f.FLAG_FIN, Buffer.from('hi'));
  assert.equal(bytes.toString('hex'), '00000003' + '01000002' + '6869');
  for (let n = 0; n < bytes.length; n++) assert.equal(f.cutFrame(bytes.subarray(0, n), 0), null);
  const cut = f.cutFrame(Buffer.concat([bytes, Buffer.from([0x80])]), 0);
  assert.ok(cut);
  assert.equal(cut.next, bytes.length);
  assert.deepEqual(f.decodeFrame(cut.frame), { type: 'data', streamId: 3, flags: 1, data: Buffer.from('hi') });
});

test('unknown control frame types are skipped; short ones are errors', () => {
  assert.equal(f.decodeFrame({ control: true, version: 3, type: 10, flags: 0, payload: Buffer.alloc(4) }), null);
  assert.throws(() => f.decodeFrame({ control: true, version: 3, type: f.TYPE.PING, flags: 0, payload: Buffer.alloc(2) }), /too short/);
});

test('header blocks: name/value layout, NUL-joined repeats, lower-case names', () => {
  const block = encodeHeaderBlock({ StreamType: 'data', port: '80' });
  assert.equal(block.toString('hex'), '00000002' + '0000000a' + Buffer.from('streamtype').toString('hex') + '00000004' + Buffer.from('data').toString('hex') + '00000004' + Buffer.from('port').toString('hex') + '00000002' + Buffer.from('80').toString('hex'));
  const twice = Buffer.concat([Buffer.from('00000002', 'hex'), encodeHeaderBlock({ a: '1' }).subarray(4), encodeHeaderBlock({ a: '2' }).subarray(4)]);
  assert.deepEqual(decodeHeaderBlock(twice), { a: '1\u00002' });
  assert.throws(() => decodeHeaderBlock(block.subarray(0, block.length - 1)), /truncated/);
});

test('compressed header blocks share one context per direction and use the dictionary', async () => {
  const deflate = new HeaderCompressor();
  const inflate = new HeaderDecompressor();
  const blocks: Record<string, string>[] = [{ streamtype: 'error', port: '8080', requestid: '0' }, { streamtype: 'data', port: '8080', requestid: '0' }, {}];
  const wire: Buffer[] = [];
  for (const h of blocks) wire.push(await deflate.compress(h));
  // Each block ends in a sync flush, and the first one names the SPDY dictionary (FDICT + its adler32).
  for (const w of wire) assert.equal(w.subarray(-4).toString('hex'), '0000ffff');
  assert.equal(wire[0][1] & 0x20, 0x20);
  assert.throws(() => zlib.inflateSync(wire[1], { dictionary: SPDY3_DICTIONARY })); // later blocks depend on the earlier ones
  for (let i = 0; i < blocks.length; i++) assert.deepEqual(await inflate.decompress(wire[i]), blocks[i]);
  deflate.close();
  inflate.close();
});

test('SYN_STREAM and SYN_REPLY carry their fixed fields before the block', () => {
  const block = Buffer.from('abcd');
  const syn = f.synStream(1, 0, 2, f.FLAG_FIN, block);
  assert.equal(syn.toString('hex'), '80030001' + '0100000e' + '00000001' + '00000000' + '40' + '00' + '61626364');
  const reply = f.synReply(3, 0, block);
  assert.equal(reply.toString('hex'), '80030002' + '00000008' + '00000003' + '61626364');
  const cut = f.cutFrame(syn, 0);
  assert.ok(cut && cut.frame.control);
  assert.equal(f.headerBlockOffset(cut.frame.type), 10);
  assert.deepEqual(f.decodeFrame(cut.frame, { x: 'y' }), { type: 'syn_stream', streamId: 1, associatedTo: 0, priority: 2, slot: 0, flags: 1, headers: { x: 'y' } });
});
