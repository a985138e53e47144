import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, type PatchType } from './index.ts';
import { ApiError } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', old: 'x' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } },
});

const ok: { name: string; type: PatchType; patch: unknown; want: (o: KubeObject) => void }[] = [
  {
    name: 'kubectl label (merge patch)',
    type: 'application/merge-patch+json',
    patch: { metadata: { labels: { env: 'prod', old: null } } },
    want: (o) => assert.deepEqual(o.metadata.labels, { app: 'web', env: 'prod' }),
  },
  {
    name: 'merge patch replaces lists whole',
    type: 'application/merge-patch+json',
    patch: { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } },
    want: (o) => assert.deepEqual(o.spec.template.spec.containers, [{ name: 'b', image: 'b:2' }]),
  },
  {
    name: 'strategic merge patch merges containers by name',
    type: 'application/strategic-merge-patch+json',
    patch: { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } },
    want: (o) => assert.deepEqual(o.spec.template.spec.containers, [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }]),
  },
  {
    name: 'json patch',
    type: 'application/json-patch+json',
    patch: [{ op: 'replace', path: '/spec/replicas', value: 4 }, { op: 'remove', path: '/metadata/labels/old' }],
    want: (o) => assert.deepEqual([o.spec.replicas, o.metadata.labels], [4, { app: 'web' }]),
  },
  {
    name: 'json patch result is decoded like the typed object: null members vanish',
    type: 'application/json-patch+json',
    patch: [{ op: 'add', path: '/spec/paused', value: null }, { op: 'add', path: '/metadata/labels/x', value: null }],
    want: (o) => assert.deepEqual([Object.hasOwn(o.spec, 'paused'), o.metadata.labels], [false, { app: 'web', old: 'x' }]),
  },
];

for (const c of ok) {
  test(`applyPatch: ${c.name}`, () => {
    const original = deployment();
    c.want(applyPatch(original, c.patch, c.type));
    assert.deepEqual(original, deployment(), 'the original is not modified');
  });
}

const failing: { name: string; type: PatchType; patch: unknown; code: number; reason: string; message: string }[] = [
  { name: 'merge patch that is a list', type: 'application/merge-patch+json', patch: [1], code: 400, reason: 'BadRequest', message: 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}' },
  { name: 'json patch that is an object', type: 'application/json-patch+json', patch: { op: 'add' }, code: 400, reason: 'BadRequest', message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp' },
  { name: 'json patch failed test', type: 'application/json-patch+json', patch: [{ op: 'test', path: '/spec/replicas', value: 3 }], code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
  { name: 'json patch replacing the whole object with a list', type: 'application/json-patch+json', patch: [{ op: 'replace', path: '', value: [] }], code: 400, reason: 'BadRequest', message: 'the patched object must be a JSON object, got array' },
  { name: 'strategic patch that is a string', type: 'application/strategic-merge-patch+json', patch: 'x', code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal string into Go value of type map[string]interface {}' },
  { name: 'unknown patch type', type: 'application/apply-patch+yaml' as PatchType, patch: {}, code: 415, reason: 'UnsupportedMediaType', message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got application/apply-patch+yaml)' },
];

for (const c of failing) {
  test(`applyPatch fails: ${c.name}`, () => {
    assert.throws(
      () => applyPatch(deployment(), c.patch, c.type),
      (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.deepEqual([e.code, e.reason, e.message], [c.code, c.reason, c.message]);
        return true;
      },
    );
  });
}

test('applyPatch: a 422 becomes the Status kubectl prints as "The request is invalid"', () => {
  try {
    applyPatch(deployment(), [{ op: 'remove', path: '/spec/nope' }], 'application/json-patch+json');
    assert.fail('expected a failure');
  } catch (e) {
    assert.ok(e instanceof ApiError);
    assert.deepEqual(e.toStatus(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
  }
});
