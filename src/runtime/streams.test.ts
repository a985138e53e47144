// Docker's stream framing: demultiplexing across arbitrary chunk cuts, and NDJSON parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { demux, frame, jsonLines } from './streams.ts';

test('demux splits stdout and stderr however the frames are cut', async (t) => {
  const whole = Buffer.concat([frame(1, 'hello '), frame(2, 'oops\n'), frame(1, Buffer.alloc(0)), frame(1, 'world\n')]);
  const cuts: Array<{ name: string; chunks: Buffer[] }> = [
    { name: 'one chunk', chunks: [whole] },
    { name: 'byte by byte', chunks: [...whole].map((b) => Buffer.from([b])) },
    { name: 'cut inside a header', chunks: [whole.subarray(0, 3), whole.subarray(3, 17), whole.subarray(17)] },
  ];
  for (const c of cuts) {
    await t.test(c.name, async () => {
      const out = new PassThrough();
      const err = new PassThrough();
      demux(Readable.from(c.chunks), out, err);
      const [o, e] = await Promise.all([text(out), text(err)]);
      assert.equal(o, 'hello world\n');
      assert.equal(e, 'oops\n');
    });
  }
  await t.test('into one merged target', async () => {
    const both = new PassThrough();
    demux(Readable.from([whole]), both, both);
    assert.equal(await text(both), 'hello oops\nworld\n');
  });
});

test('jsonLines yields each object, across chunk cuts, skipping junk', async () => {
  const src = Readable.from(['{"stream":"Step 1/2\\n"}\n{"aux"', ':{"ID":"x"}}\r\n\nnot json\n[1]\n{"error":"boom"}']);
  const got: unknown[] = [];
  for await (const o of jsonLines(src)) got.push(o);
  assert.deepEqual(got, [{ stream: 'Step 1/2\n' }, { aux: { ID: 'x' } }, [1], { error: 'boom' }]);
});
