// The JSONPath engine on fixed data, for what the API server's objects rarely hold (floats,
// nulls, strings walked by `*`) and for Go's printing rules; expected texts are what
// client-go's jsonpath and Go's fmt print for the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonPath, executeJsonPath, findJsonPathResults } from './index.ts';
import { goQuote } from '../../lib/go-quote.ts';
import { formatFloat, goSyntax, sprint } from './gofmt.ts';

const data = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { x: 'y' } }, n: 1, f: 0.5, ok: true, nil: null },
    { metadata: { name: 'b' }, n: 2, f: 1234567.5, ok: false, tags: [] },
  ],
};

test('executeJsonPath', async (t) => {
  const cases: [string, string][] = [
    ['{.items[*].n}', '1 2'],
    ['{.items[*].f}', '0.5 1.2345675e+06'],
    ['{.items[*].ok}', 'true false'],
    ['{.items[0].nil}', '<nil>'],
    ['{.items[0].nil.x}', ''],
    ['{.kind.*}', '76 105 115 116'],
    ['{.items[?(@.f<1.0)].metadata.name}', 'a'],
    ['{.items[?(@.ok==false)].metadata.name}', 'b'],
    ['{.items[?(@.nil)].metadata.name}', 'a'],
    ['{.items[*].tags[*]}', ''],
    ['{range .items[*]}{.metadata.name}', 'ab'],
    ['{range .items[*]}<{range .metadata.labels.*}{@}{end}>{end}', '<y><>'],
    ['{.items[0].metadata}', '{"labels":{"x":"y"},"name":"a"}'],
    ['{.items[-1].metadata.name}{.items[-2].metadata.name}', 'ba'],
    ['{..name}', 'a b'],
  ];
  for (const [tpl, want] of cases) {
    await t.test(tpl, () => assert.equal(executeJsonPath(compileJsonPath(tpl), data), want));
  }
});

test('an empty array slice drops the inputs after it, as client-go does', () => {
  const d = { items: [{ p: [1] }, { p: [] }, { p: [3] }] };
  assert.equal(executeJsonPath(compileJsonPath('{.items[*].p[*]}'), d), '1');
});

test('jsonpath-as-json: one indented JSON array per result set', () => {
  assert.equal(executeJsonPath(compileJsonPath('{.items[*].metadata.name}x'), data, { outputJson: true }), '[\n    "a",\n    "b"\n]\n[\n    "x"\n]\n');
});

test('missing keys with allowMissingKeys false', () => {
  assert.throws(() => findJsonPathResults(compileJsonPath('{.nope}'), data, { allowMissingKeys: false }), /^Error: nope is not found$/);
  assert.throws(
    () => executeJsonPath(compileJsonPath('{.x}'), { a: [1, 'b', null, 0.25] }, { allowMissingKeys: false }),
    { message: 'error executing jsonpath "{.x}": Error executing template: x is not found. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.x}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{"a":[]interface {}{1, "b", interface {}(nil), 0.25}}\n\n' },
  );
});

test('Go printing', () => {
  assert.equal(formatFloat(100000.5), '100000.5');
  assert.equal(formatFloat(0.00001), '1e-05');
  assert.equal(formatFloat(1e21), '1e+21');
  assert.equal(sprint({ b: [1, 'x'], a: { c: null } }), 'map[a:map[c:<nil>] b:[1 x]]');
  assert.equal(goQuote('a"\\\n\t\x01é'), '"a\\"\\\\\\n\\t\\x01é"');
  assert.equal(goSyntax([true, 2, { k: 'v' }]), '[]interface {}{true, 2, map[string]interface {}{"k":"v"}}');
});
