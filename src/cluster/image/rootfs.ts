// A Docker build context as a tar stream, assembled in memory from a list of entries: files
// (bytes, or a host file streamed in without loading it whole), symlinks and directories.
// Parent directories are added by themselves. Used for the node image and the test images.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

export type Entry =
  | { type: 'file'; path: string; mode?: number; content: string | Buffer }
  /** copied from the host, following symlinks (the real file's bytes land at `path`) */
  | { type: 'hostFile'; path: string; mode?: number; hostPath: string }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'dir'; path: string; mode?: number };

const clean = (p: string) => p.replace(/^\/+/, '').replace(/\/+$/, '');

/** Entries in tar order: every parent directory before its children, duplicates dropped (the
 * first entry for a path wins). */
export function withParents(entries: Entry[]): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const parts = clean(e.path).split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!seen.has(dir)) { seen.add(dir); out.push({ type: 'dir', path: dir }); }
    }
    const p = clean(e.path);
    if (seen.has(p)) continue;
    seen.add(p);
    out.push({ ...e, path: p });
  }
  return out;
}

/** The entries as a tar stream (uid/gid 0, fixed mtime so equal inputs give equal layers). */
export function packTar(entries: Entry[]): Readable {
  const pack = tar.pack();
  const mtime = new Date(0);
  (async () => {
    for (const e of withParents(entries)) {
      const base = { name: e.path, uid: 0, gid: 0, mtime };
      if (e.type === 'dir') {
        pack.entry({ ...base, type: 'directory', mode: e.mode ?? 0o755 });
      } else if (e.type === 'symlink') {
        pack.entry({ ...base, type: 'symlink', linkname: e.target, mode: 0o777 });
      } else if (e.type === 'file') {
        pack.entry({ ...base, type: 'file', mode: e.mode ?? 0o644 }, typeof e.content === 'string' ? Buffer.from(e.content) : e.content);
      } else {
        const st = await stat(e.hostPath);
        const sink = pack.entry({ ...base, type: 'file', mode: e.mode ?? (st.mode & 0o7777), size: st.size });
        await pipeline(createReadStream(e.hostPath), sink);
      }
    }
    pack.finalize();
  })().catch((err: unknown) => pack.destroy(err as Error));
  // tar-stream speaks streamx; hand out a plain node Readable (dockerode pipes it as a body)
  return Readable.from(pack);
}
