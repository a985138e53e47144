// From the sources, mk is no executable and its assets are the package's files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT, readAsset, runningExecutable } from './executable.ts';

test('from the sources: no executable; assets are files under the package root', () => {
  assert.equal(runningExecutable(), undefined);
  assert.equal(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).name, 'mk');
  assert.match(readAsset('templates/node/Dockerfile.binary').toString(), /^FROM scratch$/m);
  assert.throws(() => readAsset('templates/node/nothing'), /ENOENT/);
});
