// Step 1 of the build: mk's CLI and agent (entry src/bundle/main.ts) as one CommonJS file, the
// main script of Node's single executable. import.meta.url, which a few modules use to find
// mk's package on disk, points at the executable's own file in the bundle; nothing in the
// executable reads the package that way (package.json is imported, templates are SEA assets).
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { plugins } from './plugins.ts';

export interface BundleResult {
  file: string;
  bytes: number;
  /** the inputs esbuild read (for the staleness check) */
  inputs: string[];
}

export async function bundle(root: string, outfile: string, o: { minify: boolean }): Promise<BundleResult> {
  const r = await build({
    entryPoints: [join(root, 'src', 'bundle', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: o.minify,
    // oclif finds flags and args by property name, React components by function name: keep them
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    plugins,
    banner: { js: 'var __mk_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    // React's production build (its development build is three times the size and slower)
    define: { 'import.meta.url': '__mk_import_meta_url', 'import.meta.main': 'false', 'process.env.NODE_ENV': '"production"' },
    // dependencies' dynamic import()/require() of computed paths stay as they are; mk never reaches them
    logOverride: { 'unsupported-dynamic-import': 'silent', 'unsupported-require-call': 'silent' },
  });
  const meta = r.metafile as Metafile;
  return { file: outfile, bytes: meta.outputs[Object.keys(meta.outputs)[0]!]!.bytes, inputs: Object.keys(meta.inputs) };
}
