import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergePatch } from './merge.ts';

const cases: { name: string; target: unknown; patch: unknown; want: unknown }[] = [
  {
    name: 'kubectl label: adds one label and removes another (k-)',
    target: { metadata: { name: 'kubia', labels: { app: 'kubia', old: 'x' } } },
    patch: { metadata: { labels: { env: 'prod', old: null } } },
    want: { metadata: { name: 'kubia', labels: { app: 'kubia', env: 'prod' } } },
  },
  {
    name: 'kubectl scale: merge patch on the Scale subresource',
    target: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: 1 }, status: { replicas: 1 } },
    patch: { spec: { replicas: 3 } },
    want: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: 3 }, status: { replicas: 1 } },
  },
  {
    name: 'lists are replaced whole, not merged',
    target: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } },
    patch: { spec: { containers: [{ name: 'a', image: 'a:2' }] } },
    want: { spec: { containers: [{ name: 'a', image: 'a:2' }] } },
  },
  { name: 'null removes a whole subtree', target: { a: { b: 1 }, c: 2 }, patch: { a: null }, want: { c: 2 } },
  { name: 'removing a missing key is a no-op', target: { a: 1 }, patch: { zz: null }, want: { a: 1 } },
  { name: 'nulls inside a new map are dropped (RFC 7386)', target: {}, patch: { a: { b: null, c: 1 } }, want: { a: { c: 1 } } },
  { name: 'a map replaces a scalar', target: { a: 'x' }, patch: { a: { b: 1 } }, want: { a: { b: 1 } } },
  { name: 'a non-object patch replaces the target', target: { a: 1 }, patch: ['x'], want: ['x'] },
  { name: 'an empty patch changes nothing', target: { a: [1, 2] }, patch: {}, want: { a: [1, 2] } },
  // RFC 7386 appendix A
  { name: 'RFC: array of nulls is kept as a value', target: { e: null }, patch: { a: [null] }, want: { e: null, a: [null] } },
  { name: 'RFC: scalar target becomes an object', target: ['c'], patch: { a: 'b' }, want: { a: 'b' } },
];

for (const c of cases) {
  test(`merge patch: ${c.name}`, () => {
    const before = structuredClone(c.target);
    assert.deepEqual(mergePatch(c.target, c.patch), c.want);
    assert.deepEqual(c.target, before, 'the target is not modified');
  });
}
