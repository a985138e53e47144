// A volume directory written as the kubelet's AtomicWriter writes it, so a reader never sees half
// an update: the files go into a fresh `..<timestamp>` directory, the `..data` symlink is swapped
// to it in one rename, and each file is a symlink `name -> ..data/name`; older timestamped
// directories and files no longer present are removed afterwards. Nothing is written when the
// contents are what the directory already holds.
import { chmod, mkdir, readFile, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface VolumeFile {
  /** relative path inside the volume (may hold `/`) */
  path: string;
  content: Buffer;
  mode: number;
}

const DATA = '..data';

function timestampDir(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.${p(now.getUTCMilliseconds(), 3)}${String(process.hrtime.bigint() % 1000000n).padStart(6, '0')}`;
}

async function unchanged(dir: string, files: VolumeFile[]): Promise<boolean> {
  let current: string;
  try {
    current = await readlink(join(dir, DATA));
  } catch {
    return false;
  }
  const held = await listFiles(join(dir, current)).catch(() => undefined);
  if (!held || held.length !== files.length) return false;
  for (const f of files) {
    const now = await readFile(join(dir, current, f.path)).catch(() => undefined);
    if (!now || !now.equals(f.content)) return false;
  }
  return true;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(`${prefix}${e.name}`);
  }
  return out;
}

/** Makes `dir` hold exactly `files`; resolves true when it wrote something. */
export async function writeAtomically(dir: string, files: VolumeFile[], now = new Date()): Promise<boolean> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  if (await unchanged(dir, files)) return false;
  const ts = timestampDir(now);
  for (const f of files) {
    const target = join(dir, ts, f.path);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, f.content, { mode: f.mode });
    await chmod(target, f.mode); // exactly, whatever the umask
  }
  await mkdir(join(dir, ts), { recursive: true, mode: 0o755 });
  const tmp = join(dir, `${DATA}_tmp`);
  await rm(tmp, { force: true });
  await symlink(ts, tmp);
  await rename(tmp, join(dir, DATA));
  const top = new Set(files.map((f) => f.path.split('/')[0]!));
  for (const name of top) {
    const link = join(dir, name);
    const want = join(DATA, name);
    if ((await readlink(link).catch(() => undefined)) === want) continue;
    await rm(link, { force: true, recursive: true });
    await symlink(want, link);
  }
  for (const e of await readdir(dir)) {
    if (e === DATA || e === ts || top.has(e)) continue;
    await rm(join(dir, e), { force: true, recursive: true });
  }
  return true;
}
