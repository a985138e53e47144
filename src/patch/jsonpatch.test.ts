import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPatch } from './jsonpatch.ts';
import { ApiError } from '../api/status.ts';

const doc = () => ({
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'a/b': '1', 'x~y': '2' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } },
});

const ok: { name: string; ops: unknown[]; check: (d: any) => void }[] = [
  { name: 'add a field', ops: [{ op: 'add', path: '/spec/paused', value: true }], check: (d) => assert.equal(d.spec.paused, true) },
  { name: 'add replaces an existing member', ops: [{ op: 'add', path: '/spec/replicas', value: 5 }], check: (d) => assert.equal(d.spec.replicas, 5) },
  {
    name: "add with '-' appends to a list",
    ops: [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'c', image: 'c:1' } }],
    check: (d) => assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name), ['a', 'b', 'c']),
  },
  {
    name: 'add at an index inserts',
    ops: [{ op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'z' } }],
    check: (d) => assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name), ['z', 'a', 'b']),
  },
  { name: 'remove a field', ops: [{ op: 'remove', path: '/metadata/labels/app' }], check: (d) => assert.deepEqual(d.metadata.labels, {}) },
  {
    name: 'remove a list item',
    ops: [{ op: 'remove', path: '/spec/template/spec/containers/0' }],
    check: (d) => assert.deepEqual(d.spec.template.spec.containers, [{ name: 'b', image: 'b:1' }]),
  },
  {
    name: 'replace inside a list item',
    ops: [{ op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'b:2' }],
    check: (d) => assert.equal(d.spec.template.spec.containers[1].image, 'b:2'),
  },
  { name: '~1 and ~0 escapes', ops: [{ op: 'replace', path: '/metadata/annotations/a~1b', value: '9' }, { op: 'remove', path: '/metadata/annotations/x~0y' }], check: (d) => assert.deepEqual(d.metadata.annotations, { 'a/b': '9' }) },
  { name: 'move', ops: [{ op: 'move', from: '/metadata/labels', path: '/metadata/extra' }], check: (d) => assert.deepEqual([d.metadata.labels, d.metadata.extra], [undefined, { app: 'web' }]) },
  { name: 'copy is deep', ops: [{ op: 'copy', from: '/metadata/labels', path: '/spec/labels' }, { op: 'add', path: '/spec/labels/x', value: '1' }], check: (d) => assert.deepEqual([d.metadata.labels, d.spec.labels], [{ app: 'web' }, { app: 'web', x: '1' }]) },
  { name: 'passing test then replace', ops: [{ op: 'test', path: '/spec/replicas', value: 1 }, { op: 'replace', path: '/spec/replicas', value: 2 }], check: (d) => assert.equal(d.spec.replicas, 2) },
  { name: 'replace of a missing member adds it (json-patch v4)', ops: [{ op: 'replace', path: '/spec/paused', value: true }], check: (d) => assert.equal(d.spec.paused, true) },
  { name: 'copy of a missing member copies null (json-patch v4)', ops: [{ op: 'copy', from: '/spec/nope', path: '/spec/x' }], check: (d) => assert.equal(d.spec.x, null) },
  { name: 'test that a missing member is null', ops: [{ op: 'test', path: '/spec/nope', value: null }], check: (d) => assert.equal(d.spec.replicas, 1) },
  {
    name: 'negative indexes count from the end',
    ops: [{ op: 'add', path: '/spec/template/spec/containers/-1', value: { name: 'z' } }, { op: 'remove', path: '/spec/template/spec/containers/-3' }],
    check: (d) => assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name), ['b', 'z']),
  },
  { name: 'test of a whole subtree', ops: [{ op: 'test', path: '/metadata/labels', value: { app: 'web' } }], check: (d) => assert.equal(d.metadata.name, 'web') },
];

for (const c of ok) {
  test(`json patch: ${c.name}`, () => {
    const d = doc();
    c.check(jsonPatch(d, c.ops));
    assert.deepEqual(d, doc(), 'the target is not modified');
  });
}

const failing: { name: string; ops: unknown; code: number; message: string; detail?: string }[] = [
  { name: 'failed test', ops: [{ op: 'test', path: '/spec/replicas', value: 2 }], code: 422, message: 'the server rejected our request due to an error in our request', detail: 'testing value /spec/replicas failed: test failed' },
  { name: 'add under a missing parent', ops: [{ op: 'add', path: '/spec/foo/bar', value: 1 }], code: 422, message: 'the server rejected our request due to an error in our request', detail: 'add operation does not apply: doc is missing path: "/spec/foo/bar": missing value' },
  { name: 'remove of a missing key', ops: [{ op: 'remove', path: '/spec/foo' }], code: 422, message: 'the server rejected our request due to an error in our request', detail: "error in remove for path: '/spec/foo': Unable to remove nonexistent key: foo: missing value" },
  { name: 'remove under a missing parent', ops: [{ op: 'remove', path: '/status/foo' }], code: 422, message: 'the server rejected our request due to an error in our request', detail: 'remove operation does not apply: doc is missing path: "/status/foo": missing value' },
  { name: 'replace at a missing list index', ops: [{ op: 'replace', path: '/spec/template/spec/containers/5', value: {} }], code: 422, message: 'the server rejected our request due to an error in our request', detail: 'replace operation does not apply: doc is missing key: /spec/template/spec/containers/5: missing value' },
  { name: 'move from a missing key', ops: [{ op: 'move', from: '/spec/nope', path: '/spec/x' }], code: 422, message: 'the server rejected our request due to an error in our request', detail: "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value" },
  { name: 'index out of range', ops: [{ op: 'add', path: '/spec/template/spec/containers/7', value: {} }], code: 422, message: 'the server rejected our request due to an error in our request', detail: "error in add for path: '/spec/template/spec/containers/7': Unable to access invalid index: 7: invalid index referenced" },
  { name: 'unknown op', ops: [{ op: 'frobnicate', path: '/spec' }], code: 422, message: 'the server rejected our request due to an error in our request', detail: 'Unexpected kind: frobnicate' },
  { name: 'not a list of operations', ops: { op: 'add' }, code: 400, message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
];

for (const c of failing) {
  test(`json patch fails: ${c.name}`, () => {
    const d = doc();
    assert.throws(
      () => jsonPatch(d, c.ops),
      (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.code, c.code);
        assert.equal(e.reason, c.code === 422 ? 'Invalid' : 'BadRequest');
        assert.equal(e.message, c.message);
        if (c.detail) assert.equal((e.cause as Error).message, c.detail);
        return true;
      },
    );
    assert.deepEqual(d, doc(), 'nothing is half-applied');
  });
}

test('json patch: a failing later op leaves the target untouched', () => {
  const d = doc();
  assert.throws(() => jsonPatch(d, [{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'test', path: '/spec/replicas', value: 1 }]));
  assert.equal(d.spec.replicas, 1);
});
