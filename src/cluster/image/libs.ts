// Which shared libraries a host binary needs, as `ldd` says: the files to copy, at the paths the
// dynamic loader will look for them, into a FROM-scratch image.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UserError } from '../../lib/errors.ts';

/** Absolute library paths from ldd's output (`libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)`
 * and the loader's `/lib64/ld-linux-x86-64.so.2 (0x…)`); the vDSO has no file and is skipped.
 * Throws on `not found`: such a binary cannot run in the image. */
export function parseLdd(output: string): string[] {
  const out: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('linux-vdso') || line.startsWith('linux-gate')) continue;
    if (/=>\s*not found/.test(line)) throw new UserError(`a shared library is missing on this machine: ${line}`);
    if (line.includes('statically linked')) continue;
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^(\/\S+)\s/.exec(line);
    if (m && !out.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

export async function sharedLibraries(binary: string): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)('ldd', [binary]);
    return parseLdd(stdout);
  } catch (e) {
    if (e instanceof UserError) throw e;
    // `ldd` exits 1 with "not a dynamic executable" for static binaries
    const out = (e as { stdout?: string; stderr?: string });
    if (`${out.stdout ?? ''}${out.stderr ?? ''}`.includes('not a dynamic executable')) return [];
    throw new UserError(`cannot list the shared libraries of ${binary} with ldd`, 'Install libc-bin (it provides ldd).', { cause: e });
  }
}
