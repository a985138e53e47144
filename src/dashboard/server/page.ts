// The page's files: index.html and app.css as written in src/dashboard/web, and app.js, the
// React app bundled by esbuild. In the mk executable all three are embedded assets (scripts/build
// bundles the app). From the sources, app.js is the bundle `npm install` made
// (scripts/build/dashboard.ts, the `prepare` script, into dist/dashboard/app.js); when the page's
// sources are newer than that file (an edit since), the app is bundled in memory as the
// dashboard starts instead, so an edit is served at the next `mk dashboard` without a step.
// Nothing is fetched from a network.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ASSETS, PACKAGE_ROOT, readAsset, runningExecutable } from '../../lib/executable.ts';

export interface PageFile { type: string; body: Buffer }

export interface PageFiles {
  /** `/`, `/app.js` or `/app.css`; undefined for anything else */
  get(path: string): Promise<PageFile | undefined>;
}

/** Where the page's sources are in the package (and the keys of index.html and app.css in the executable). */
export const WEB_DIR = 'src/dashboard/web';
export const WEB_ENTRY = `${WEB_DIR}/main.tsx`;
/** The bundle `npm install` leaves in a clone (gitignored). */
export const PREPARED_BUNDLE = 'dist/dashboard/app.js';
/** The folders whose files go into the bundle. */
const BUNDLED_DIRS = [WEB_DIR, 'src/dashboard/model'];

/** The React app as one ES module for the browser: React's production build, no network at run time. */
export async function bundleWebApp(root: string, o: { minify: boolean }): Promise<string> {
  // a computed name: the executable's bundler leaves esbuild out (the executable never bundles)
  const name = 'esbuild';
  const { build } = await import(name) as typeof import('esbuild');
  const r = await build({
    entryPoints: [join(root, WEB_ENTRY)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16'],
    jsx: 'automatic',
    minify: o.minify,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return r.outputFiles[0]!.text;
}

function newestSource(root: string): number {
  let newest = 0;
  for (const d of BUNDLED_DIRS) {
    for (const n of readdirSync(join(root, d))) {
      if (!n.endsWith('.test.ts')) newest = Math.max(newest, statSync(join(root, d, n)).mtimeMs);
    }
  }
  return newest;
}

/** The prepared bundle when it is there and newer than the page's sources, else undefined. */
export function preparedBundle(root: string = PACKAGE_ROOT): Buffer | undefined {
  try {
    if (statSync(join(root, PREPARED_BUNDLE)).mtimeMs < newestSource(root)) return undefined;
    return readAsset(PREPARED_BUNDLE);
  } catch {
    return undefined;
  }
}

export function pageFiles(): PageFiles {
  let script: Promise<Buffer>;
  if (runningExecutable() !== undefined) script = Promise.resolve(readAsset(ASSETS.dashboardScript));
  else {
    const prepared = preparedBundle();
    script = prepared ? Promise.resolve(prepared) : bundleWebApp(PACKAGE_ROOT, { minify: false }).then((t) => Buffer.from(t));
  }
  script.catch(() => undefined); // said when the page asks for it
  const file = (name: string) => readAsset(`${WEB_DIR}/${name}`);
  return {
    async get(path) {
      if (path === '/' || path === '/index.html') return { type: 'text/html; charset=utf-8', body: file('index.html') };
      if (path === '/app.css') return { type: 'text/css; charset=utf-8', body: file('app.css') };
      if (path === '/app.js') return { type: 'text/javascript; charset=utf-8', body: await script };
      return undefined;
    },
  };
}
