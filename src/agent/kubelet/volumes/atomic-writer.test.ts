// The atomic writer: the layout the kubelet makes (..data → timestamped dir, one symlink per
// top-level name), modes as asked whatever the umask, no write when nothing changed, a swap on
// change that drops what the payload no longer has, and refusal of paths leaving the volume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR, timestampDirName, writeAtomically, type Payload } from './atomic-writer.ts';

const payload = (entries: Record<string, [string, number]>): Payload =>
  new Map(Object.entries(entries).map(([p, [data, mode]]) => [p, { data: Buffer.from(data), mode }]));

function withDir(f: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-atomic-'));
    try { await f(join(dir, 'vol')); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
}

const visible = (dir: string) => readdirSync(dir).filter((n) => !n.startsWith('..')).sort();
const tsDirs = (dir: string) => readdirSync(dir).filter((n) => /^\.\.\d{4}_/.test(n));

test('timestamped directory names as the kubelet makes them', () => {
  assert.match(timestampDirName(new Date('2024-05-01T12:03:04Z')), /^\.\.2024_05_01_12_03_04\.\d{9}$/);
});

test('first write: ..data, per-key symlinks, contents and modes', withDir(async (dir) => {
  const old = process.umask(0o077);
  try {
    assert.equal(await writeAtomically(dir, payload({ 'game.properties': ['lives=3\n', 0o644], 'ui/color': ['blue', 0o400] })), true);
  } finally { process.umask(old); }
  assert.deepEqual(visible(dir), ['game.properties', 'ui']);
  assert.equal(readlinkSync(join(dir, 'game.properties')), '..data/game.properties');
  assert.equal(readlinkSync(join(dir, 'ui')), '..data/ui');
  assert.match(readlinkSync(join(dir, DATA_DIR)), /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
  assert.equal(readFileSync(join(dir, 'game.properties'), 'utf8'), 'lives=3\n');
  assert.equal(statSync(join(dir, 'game.properties')).mode & 0o777, 0o644);
  assert.equal(statSync(join(dir, 'ui/color')).mode & 0o777, 0o400);
  assert.ok(lstatSync(join(dir, 'game.properties')).isSymbolicLink());
}));

test('the same payload again writes nothing', withDir(async (dir) => {
  const p = payload({ a: ['1', 0o644] });
  await writeAtomically(dir, p);
  const ts = readlinkSync(join(dir, DATA_DIR));
  assert.equal(await writeAtomically(dir, p), false);
  assert.equal(readlinkSync(join(dir, DATA_DIR)), ts);
}));

test('a change swaps ..data, drops keys no longer there and the old directory', withDir(async (dir) => {
  await writeAtomically(dir, payload({ a: ['1', 0o644], b: ['2', 0o644] }));
  const before = readlinkSync(join(dir, DATA_DIR));
  assert.equal(await writeAtomically(dir, payload({ a: ['one', 0o644], c: ['3', 0o644] })), true);
  assert.notEqual(readlinkSync(join(dir, DATA_DIR)), before);
  assert.deepEqual(visible(dir), ['a', 'c']);
  assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'one');
  assert.deepEqual(tsDirs(dir), [readlinkSync(join(dir, DATA_DIR))]);
}));

test('a mode change alone is a change', withDir(async (dir) => {
  await writeAtomically(dir, payload({ a: ['1', 0o644] }));
  assert.equal(await writeAtomically(dir, payload({ a: ['1', 0o600] })), true);
  assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o600);
}));

test('an empty payload (an optional source that is missing) leaves an empty volume', withDir(async (dir) => {
  await writeAtomically(dir, payload({ a: ['1', 0o644] }));
  await writeAtomically(dir, new Map());
  assert.deepEqual(visible(dir), []);
  assert.equal(tsDirs(dir).length, 1);
}));

test('paths leaving the volume are refused before anything is written', withDir(async (dir) => {
  for (const bad of ['/etc/passwd', 'a/../../b', '..data', '']) {
    await assert.rejects(writeAtomically(dir, payload({ ok: ['1', 0o644], [bad]: ['x', 0o644] })), /invalid path/);
  }
  assert.throws(() => readdirSync(dir));
}));
