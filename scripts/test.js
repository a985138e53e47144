#!/usr/bin/env node
// Typechecks (tsc --noEmit), then runs the test suites with node's own runner: `unit` (no Docker), `e2e` (real kubectl, and a
// Docker engine where a suite needs one), or both when no argument is given.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const which = process.argv[2] ?? 'all';
const roots = ['src', 'commands', 'test', 'scripts'];

function walk(dir, out) {
  let names;
  try { names = readdirSync(dir); } catch { return out; }
  for (const n of names) {
    if (n === 'node_modules' || n.startsWith('.')) continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (n.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = roots.flatMap((r) => walk(r, [])).sort();
const isE2e = (f) => f.startsWith(join('test', 'e2e'));
const picked = files.filter((f) => (which === 'unit' ? !isE2e(f) : which === 'e2e' ? isE2e(f) : true));
if (picked.length === 0) {
  console.error(`no test files found for "${which}"`);
  process.exit(1);
}
// The types first (strict TypeScript; node strips types without checking them).
if (which !== 'e2e') {
  const tsc = spawnSync(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '--noEmit'], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('typecheck: tsc --noEmit failed (see above)');
    process.exit(1);
  }
  console.log('typecheck: tsc --noEmit passed');
}

// The end-to-end suites run pods and nodes as Docker containers: make sure an engine answers
// (scripts/ensure-docker.sh installs and starts one as root, or says what is missing).
if (picked.some(isE2e)) {
  const d = spawnSync('bash', [join('scripts', 'ensure-docker.sh')], { stdio: 'inherit' });
  if (d.status !== 0) {
    console.error('mk: the end-to-end tests need a Docker engine; see the lines above for what is missing.');
    process.exit(1);
  }
}
const args = ['--test', '--test-reporter=spec', '--test-concurrency=2', ...picked];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
