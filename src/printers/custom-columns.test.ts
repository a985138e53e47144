import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCustomColumnsSpec, parseCustomColumnsTemplate, relaxedJsonPathExpression, renderCustomColumns } from './custom-columns.ts';

test('relaxed paths become {.path}', () => {
  for (const p of ['metadata.name', '.metadata.name', '{metadata.name}', '{.metadata.name}']) assert.equal(relaxedJsonPathExpression(p), '{.metadata.name}');
  assert.equal(relaxedJsonPathExpression(''), '');
  assert.throws(() => relaxedJsonPathExpression('{.a}{.b}'), /^Error: unexpected path string/);
});

test('spec and template errors in kubectl words', () => {
  assert.throws(() => parseCustomColumnsSpec('', false), { message: 'custom-columns format specified but no custom columns given' });
  assert.throws(() => parseCustomColumnsSpec('A:.a,B', false), { message: 'unexpected custom-columns spec: B, expected <header>:<json-path-expr>' });
  assert.throws(() => parseCustomColumnsTemplate(''), /missing header line/);
  assert.throws(() => parseCustomColumnsTemplate('A B\n'), /missing spec line/);
  assert.throws(() => parseCustomColumnsTemplate('A B\n.a\n'), { message: "number of headers (2) and field specifications (1) don't match" });
  assert.deepEqual(parseCustomColumnsTemplate('A   B\n .a\t{.b}\n'), { columns: [{ header: 'A', fieldSpec: '{.a}' }, { header: 'B', fieldSpec: '{.b}' }], noHeaders: false });
});

test('rows: Go values joined by commas, <none> when missing, tabwriter spacing', () => {
  const cc = parseCustomColumnsSpec('NAME:.metadata.name,LABELS:.metadata.labels,PORTS:.ports[*],F:.f', false);
  const objs = [
    { metadata: { name: 'a', labels: { x: 'y', a: 'b' } }, ports: [80, 443], f: 2.5 },
    { metadata: { name: 'longer-name' }, ports: [], f: null },
  ];
  assert.deepEqual(renderCustomColumns(cc, objs), {
    out: 'NAME          LABELS         PORTS    F\na             map[a:b x:y]   80,443   2.5\nlonger-name   <none>         <none>   <nil>\n',
  });
  assert.deepEqual(renderCustomColumns({ ...cc, noHeaders: true }, []), { out: '' });
  assert.deepEqual(renderCustomColumns(parseCustomColumnsSpec('N:.metadata.name,P:.ports[2]', false), objs), { out: 'N     P\n', error: 'array index out of bounds: index 2, length 2' });
});
