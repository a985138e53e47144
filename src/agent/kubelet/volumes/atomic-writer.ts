// The kubelet's atomic writer (pkg/volume/util/atomic_writer.go) for configMap, secret,
// downwardAPI and projected volumes: a payload (relative path → bytes and mode) is written into a
// new timestamped directory `..2024_05_01_12_00_00.123456789`, then the `..data` symlink is
// swapped to it in one rename, so a reader of `<dir>/<key>` (a symlink through `..data`) sees
// either the old set of files or the new one, never a mix. User-visible names are symlinks
// `<first path element>` → `..data/<first path element>`; the old timestamped directory goes
// last. A payload equal to what is there (bytes and modes) writes nothing.
import { randomInt } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, readdir, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** permission bits, e.g. 0o644 */
  mode: number;
}

export type Payload = Map<string, FileProjection>;

export const DATA_DIR = '..data';
const DATA_DIR_TMP = '..data_tmp';

/** A payload path must be relative, without `..` elements, not starting with `..`. */
export function checkPayloadPath(p: string): void {
  if (!p) throw new Error('invalid path: must not be empty');
  if (p.startsWith('/')) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.split('/').includes('..')) throw new Error(`invalid path: must not contain '..': ${p}`);
  if (p.startsWith('..')) throw new Error(`invalid path: must not start with '..': ${p}`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const TS_DIR = /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/;

/** `..2006_01_02_15_04_05.` plus random digits, as os.MkdirTemp makes them. */
export function timestampDirName(now: Date): string {
  const t = `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.`;
  return t + String(randomInt(1_000_000_000)).padStart(9, '0');
}

const exists = (p: string) => lstat(p).then(() => true, () => false);

async function filesUnder(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...await filesUnder(root, r));
    else out.push(r);
  }
  return out;
}

/** True when the files under `tsPath` are exactly the payload, bytes and modes. */
async function sameAsPayload(tsPath: string, payload: Payload): Promise<boolean> {
  const present = await filesUnder(tsPath).catch(() => undefined);
  if (!present || present.length !== payload.size) return false;
  for (const [p, f] of payload) {
    try {
      const st = await stat(join(tsPath, p));
      if ((st.mode & 0o7777) !== f.mode) return false;
      if (!(await readFile(join(tsPath, p))).equals(f.data)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

const topOf = (p: string) => p.split('/')[0]!;

/**
 * Writes the payload into `dir` atomically; returns false when nothing changed. `dir` is created
 * when missing (0755). Throws on an invalid payload path before touching anything.
 */
export async function writeAtomically(dir: string, payload: Payload, now: Date = new Date()): Promise<boolean> {
  for (const p of payload.keys()) checkPayloadPath(p);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const dataLink = join(dir, DATA_DIR);
  const oldTs = await readlink(dataLink).catch(() => undefined);
  if (oldTs && (await sameAsPayload(join(dir, oldTs), payload))) return false;

  const tsName = timestampDirName(now);
  const tsPath = join(dir, tsName);
  await mkdir(tsPath, { mode: 0o755 });
  await chmod(tsPath, 0o755);
  for (const [p, f] of payload) {
    const target = join(tsPath, p);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, f.data, { mode: f.mode });
    await chmod(target, f.mode); // the umask must not narrow it
  }
  // the swap: a new link beside the old one, renamed over it in one step
  const tmpLink = join(dir, DATA_DIR_TMP);
  await rm(tmpLink, { force: true });
  await symlink(tsName, tmpLink);
  await rename(tmpLink, dataLink);

  const wanted = new Set([...payload.keys()].map(topOf));
  for (const name of wanted) {
    if (!(await exists(join(dir, name)))) await symlink(`${DATA_DIR}/${name}`, join(dir, name));
  }
  for (const name of await readdir(dir)) {
    // timestamped directories of earlier writes (the previous one, or one a crash left)
    if (TS_DIR.test(name) && name !== tsName) { await rm(join(dir, name), { recursive: true, force: true }); continue; }
    if (name.startsWith('..') || wanted.has(name)) continue;
    // a user-visible link of a path the payload no longer has
    const st = await lstat(join(dir, name)).catch(() => undefined);
    if (st?.isSymbolicLink()) await unlink(join(dir, name)).catch(() => undefined);
  }
  return true;
}
