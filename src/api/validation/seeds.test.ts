// The tutorials' manifests (test/fixtures/seeds) go through the API server's write path
// (decode → defaults → validate) with no unknown field, no type error and no cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { byKind } from '../resources.ts';
import { decode } from '../schema/index.ts';
import { applyDefaults } from '../defaults/index.ts';
import type { KubeObject } from '../types.ts';
import { validate } from './index.ts';
import { toStorageVersion } from '../conversion/index.ts';

const dir = join(import.meta.dirname, '../../../test/fixtures/seeds');

for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as KubeObject);
  for (const obj of docs) {
    test(`${file}: ${obj.kind}/${obj.metadata.name} decodes, defaults and validates clean`, () => {
      const r = byKind(obj.apiVersion, obj.kind);
      assert.ok(r, `${obj.apiVersion} ${obj.kind} is served`);
      assert.deepEqual(decode(obj, r), { unknownFields: [], typeErrors: [] });
      // an old version (v1beta1 Ingress) is validated as the version it is stored in
      const stored = toStorageVersion(r, obj);
      stored.metadata.namespace ??= r.namespaced ? 'default' : undefined;
      applyDefaults(stored);
      assert.deepEqual(validate(stored), []);
    });
  }
}

test('the seed 002 Service with `sepc` is refused with the typo named', () => {
  const r = byKind('v1', 'Service')!;
  const obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubia' }, sepc: { ports: [{ name: 'http', port: 80 }] } };
  assert.deepEqual(decode(obj, r).unknownFields, ['sepc']);
});
