import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv32a, safeEncodeString, computeHash, canonicalJson, randomSuffix } from './hash.ts';

test('fnv32a matches the published FNV-1a test vectors', () => {
  const cases: [string, number][] = [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ];
  for (const [s, want] of cases) assert.equal(fnv32a(Buffer.from(s)), want, s);
});

test('safeEncodeString maps each byte modulo 27', () => {
  // '0'..'9' are bytes 48..57: 48 % 27 = 21 -> '4', ... 57 % 27 = 3 -> 'f' (hence hashes like 6846c969fd)
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  assert.equal(safeEncodeString('123'), '567');
});

test('computeHash: stable under key order, changes with content and collision count', () => {
  const a = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } };
  const b = { spec: { containers: [{ image: 'nginx:1', name: 'web' }] }, metadata: { labels: { app: 'web' } } };
  const h = computeHash(a);
  assert.equal(h, computeHash(b));
  assert.match(h, /^[4-9bcdf]{1,10}$/);
  assert.notEqual(computeHash({ ...a, spec: { containers: [{ name: 'web', image: 'nginx:2' }] } }), h);
  assert.notEqual(computeHash(a, 1), h);
  assert.notEqual(computeHash(a, 1), computeHash(a, 2));
  assert.equal(canonicalJson({ b: 1, a: [undefined, { d: 2, c: null }] }), '{"a":[null,{"c":null,"d":2}],"b":1}');
});

test('randomSuffix uses the safe alphabet', () => {
  assert.equal(randomSuffix(() => 0), 'bbbbb');
  assert.equal(randomSuffix(() => 0.9999), '99999');
  let i = 0;
  assert.equal(randomSuffix(() => (i++ % 27) / 27), 'bcdfg');
});
