// `npm install`'s `prepare` step (and `npm run build:dashboard`): bundles mk dashboard's page
// (src/dashboard/web, React and react-dom) with esbuild into dist/dashboard/app.js, which
// `mk dashboard` serves from a clone. The executable embeds its own bundle (build.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWebApp, PREPARED_BUNDLE } from '../../src/dashboard/server/page.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const t0 = performance.now();
const js = await bundleWebApp(ROOT, { minify: true });
const out = join(ROOT, PREPARED_BUNDLE);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, js);
console.log(`dashboard: ${PREPARED_BUNDLE}  ${(js.length / 1e3).toFixed(0)} kB  ${((performance.now() - t0) / 1000).toFixed(1)}s`);
