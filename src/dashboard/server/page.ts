// The page's files: index.html and app.css as written in src/dashboard/web, and app.js, the
// React app bundled by esbuild. In the mk executable all three are embedded assets (scripts/build
// bundles the app once); from the sources the app is bundled in memory when the dashboard
// starts (about 100 ms, while the informers make their first lists), so an edit to the page is
// served at the next `mk dashboard` without any build step. Nothing is fetched from a network.
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

/** The React app as one ES module for the browser: React's production build, no network at run time. */
export async function bundleWebApp(root: string, o: { minify: boolean }): Promise<string> {
  const { build } = await import('esbuild');
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

export function pageFiles(): PageFiles {
  const embedded = runningExecutable() !== undefined;
  const script: Promise<Buffer> = embedded
    ? Promise.resolve(readAsset(ASSETS.dashboardScript))
    : bundleWebApp(PACKAGE_ROOT, { minify: false }).then((t) => Buffer.from(t));
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
