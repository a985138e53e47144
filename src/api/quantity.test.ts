// Quantities as apimachinery prints and compares them (resource.Quantity String, Cmp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, compareQuantities, divideQuantity, parseQuantity } from './quantity.ts';

test('canonical text, as kubectl shows a capacity', async (t) => {
  const cases: Array<[string, string]> = [
    ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['1.5Gi', '1536Mi'], ['2048Ki', '2Mi'],
    ['100Mi', '100Mi'], ['512', '512'], ['1000', '1k'], ['1500', '1500'], ['0.5', '500m'], ['100m', '100m'],
    ['1G', '1G'], ['1000M', '1G'], ['10e3', '10e3'], ['1e3', '1e3'], ['0', '0'], ['0Gi', '0'], ['-1Gi', '-1Gi'],
    ['1023', '1023'], ['0.5Ki', '512'], ['.5', '500m'], ['1n', '1n'], ['5Gi', '5Gi'],
  ];
  for (const [input, want] of cases) await t.test(input, () => assert.equal(canonicalQuantity(input), want));
});

test('comparison across formats', () => {
  const cmp = (a: string, b: string) => compareQuantities(parseQuantity(a), parseQuantity(b));
  assert.equal(cmp('1Gi', '1024Mi'), 0);
  assert.equal(cmp('1G', '1Gi'), -1);
  assert.equal(cmp('2Gi', '1500Mi'), 1);
  assert.equal(cmp('500m', '0.5'), 0);
});

test('resourceFieldRef division rounds up', () => {
  assert.equal(divideQuantity(parseQuantity('250m'), parseQuantity('1')), '1');
  assert.equal(divideQuantity(parseQuantity('250m'), parseQuantity('1m')), '250');
  assert.equal(divideQuantity(parseQuantity('64Mi'), parseQuantity('1Mi')), '64');
  assert.equal(divideQuantity(parseQuantity('64Mi'), parseQuantity('1')), '67108864');
  assert.equal(divideQuantity(parseQuantity('1Gi'), parseQuantity('1G')), '2');
});

test('what does not parse is said', () => {
  assert.throws(() => parseQuantity('abc'), /regular expression/);
  assert.throws(() => parseQuantity('1Xi'), /suffix/);
  assert.equal(canonicalQuantity('abc'), 'abc');
});
