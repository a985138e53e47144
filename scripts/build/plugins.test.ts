// The bundle's changes to dependencies, on the files npm installed: each applies exactly once
// and leaves no top-level await; a change that no longer applies fails, naming the file; the
// stubs say what is not in the executable when something reaches them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STUBS, inkReconcilerSource, replaceOnce, syncYogaSource } from './plugins.ts';

const modules = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules');
const yogaDir = join(modules, 'yoga-layout', 'dist');
const inkReconciler = join(modules, 'ink', 'build', 'reconciler.js');

test('replaceOnce: exactly one match, else an error naming the file', () => {
  assert.equal(replaceOnce('f.js', 'a b c', 'b', 'x'), 'a x c');
  assert.equal(replaceOnce('f.js', 'a\n  b c', /a\s+b/, 'x'), 'x c');
  assert.throws(() => replaceOnce('f.js', 'a c', 'b', 'x'), /f\.js no longer has the b/);
  assert.throws(() => replaceOnce('f.js', 'b b', 'b', 'x'), /f\.js no longer has exactly one b/);
});

test('yoga-layout: its WebAssembly instantiated synchronously, no top-level await', () => {
  const entry = join(yogaDir, 'src', 'index.js');
  const out = syncYogaSource(entry, readFileSync(entry, 'utf8'), readFileSync(join(yogaDir, 'binaries', 'yoga-wasm-base64-esm.js'), 'utf8'));
  assert.doesNotMatch(out, /\bawait\b/);
  assert.match(out, /new WebAssembly\.Instance\(new WebAssembly\.Module\(wasm\), imports\)/);
  assert.match(out, /const wasm = Buffer\.from\("[A-Za-z0-9+/=]{50000,}", 'base64'\)/);
  assert.throws(() => syncYogaSource('x.js', 'const Yoga = 1;', 'data:application/octet-stream;base64,AAAA'), /x\.js no longer has the/);
});

test('ink: the reconciler without its DEV-only top-level awaits', () => {
  const src = readFileSync(inkReconciler, 'utf8');
  const out = inkReconcilerSource(inkReconciler, src);
  assert.doesNotMatch(out, /await import\('\.\/devtools\.js'\)/);
  assert.doesNotMatch(out, /await loadPackageJson\(\)/);
  assert.match(out, /const packageJson = \s*\{ name: undefined, version: undefined \}/);
  assert.ok(src.length - out.length < 1500, 'only the two DEV blocks go');
});

test('stubs say what the executable lacks when they are reached', () => {
  const load = (key: string) => { const module = { exports: {} as Record<string, unknown> }; new Function('module', 'exports', STUBS[key]!)(module, module.exports); return module.exports; };
  const ssh2 = load('ssh2') as { Client: new () => unknown };
  assert.throws(() => new ssh2.Client(), /ssh is not part of the mk executable: .*DOCKER_HOST=unix:/);
  let err: unknown;
  (load('dockerode/lib/session.js') as unknown as (d: unknown, a: unknown, h: (e: unknown) => void) => void)({}, {}, (e) => (err = e));
  assert.match(String(err), /BuildKit sessions are not part of the mk executable/);
  assert.throws(() => load('typescript'), /typescript is not part of the mk executable/);
});
