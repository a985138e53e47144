// Step 2 of the build: the bundle and its assets into a copy of a Node.js binary, as a single
// executable application. Node (the one running this script, which must be the version of the
// target binary) writes the preparation blob from a sea-config: the CommonJS main script, with
// V8's code cache for it when the executable is for this machine (a code cache only loads into
// the same V8 on the same platform), and the assets (the bundle among them). postject
// then injects the blob into the copy, which is stripped of its debug symbols first when a
// `strip` for the target is at hand (binutils; about 18 MB less for Linux x64).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Inject = (file: string, name: string, data: Buffer, o: { sentinelFuse: string; machoSegmentName?: string; overwrite?: boolean }) => Promise<void>;

/** the fuse Node.js checks for an injected blob (doc/api/single-executable-applications.md) */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface SeaOptions {
  /** the main script (CommonJS) */
  main: string;
  /** asset key → file */
  assets: Record<string, string>;
  /** the Node.js binary of the target platform, copied and injected */
  nodeBinary: string;
  output: string;
  /** a scratch directory for the sea-config and the blob */
  workDir: string;
  /** `linux`, `darwin`, `win32` */
  platform: string;
  /** the executable runs on this machine: make the code cache, strip with the host's strip */
  native: boolean;
}

export interface SeaResult { codeCache: boolean; stripped: boolean; blobBytes: number }

export async function makeExecutable(o: SeaOptions): Promise<SeaResult> {
  const config = join(o.workDir, 'sea-config.json');
  const blob = join(o.workDir, 'sea-prep.blob');
  writeFileSync(config, JSON.stringify({
    main: o.main,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: o.native,
    assets: o.assets,
  }, null, 2));
  const r = spawnSync(process.execPath, ['--experimental-sea-config', config], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build: node --experimental-sea-config failed:\n${r.stdout}${r.stderr}`);

  rmSync(o.output, { force: true });
  copyFileSync(o.nodeBinary, o.output);
  chmodSync(o.output, 0o755);
  const stripped = o.native && o.platform === 'linux' && strip(o.output);
  if (o.platform === 'darwin') execFileSync('codesign', ['--remove-signature', o.output]);

  const { inject } = createRequire(import.meta.url)('postject') as { inject: Inject };
  const data = readFileSync(blob);
  // postject's ELF reader warns about each of the many notes in Node's binary; they are harmless
  const warn = console.warn;
  console.warn = (...a: unknown[]) => { if (!/^warning: Can't find string offset for section name/.test(String(a[0]))) warn(...a); };
  try {
    await inject(o.output, 'NODE_SEA_BLOB', data, { sentinelFuse: FUSE, ...(o.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}) });
  } finally {
    console.warn = warn;
  }
  if (o.platform === 'darwin') execFileSync('codesign', ['--sign', '-', o.output]);
  return { codeCache: o.native, stripped, blobBytes: data.length };
}

/** strip --strip-all in place; false when there is no strip (binutils) on this machine */
function strip(file: string): boolean {
  const r = spawnSync('strip', ['--strip-all', file], { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return false;
  if (r.status !== 0) throw new Error(`build: strip ${file} failed: ${r.stderr}`);
  return true;
}
