// What the running mk is made of: its TypeScript sources under Node.js (development, `npm link`,
// the test suites), or the single executable `npm run build` makes (dist/mk-<os>-<arch>: Node.js
// with mk's bundle, a code cache and assets injected; see scripts/build/). The only module that
// asks node:sea; the rest of mk asks runningExecutable() and readAsset().

import { readFileSync } from 'node:fs';
import { getAsset, isSea } from 'node:sea';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Asset keys scripts/build embeds, and where the same bytes live in a clone. */
export const ASSETS = {
  /** BuildInfo as JSON */
  build: 'mk/build.json',
  /** the static busybox the node image gets (Linux, the executable's architecture) */
  busybox: 'mk/busybox',
  /** the dashboard's page script (src/dashboard/web bundled for the browser) */
  dashboardScript: 'mk/dashboard/app.js',
} as const;

/** What scripts/build recorded about the executable. */
export interface BuildInfo {
  /** mk's package version */
  version: string;
  /** 12 hex digits naming the bundle, the Node.js it runs on and the embedded busybox */
  build: string;
  /** `linux-x64`, `linux-arm64`, … */
  target: string;
  node: string;
  /** `busybox --list` of the embedded busybox */
  applets: string[];
}

export interface RunningExecutable extends BuildInfo {
  /** the executable's own file: what the node image copies */
  path: string;
}

/** The single executable running this code, or undefined when mk runs from its sources. */
export function runningExecutable(): RunningExecutable | undefined {
  if (!isSea()) return undefined;
  const info = JSON.parse(getAsset(ASSETS.build, 'utf8')) as BuildInfo;
  return { ...info, path: process.execPath };
}

/** The root of mk's sources (holds package.json, templates/); meaningless inside the executable,
 * whose bundle has no file of its own (scripts/build points import.meta.url at the executable). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A file of mk's package (`templates/node/Dockerfile`): an embedded asset in the executable,
 * the file under PACKAGE_ROOT from the sources. */
export function readAsset(path: string): Buffer {
  if (isSea()) return Buffer.from(getAsset(path));
  return readFileSync(join(PACKAGE_ROOT, path));
}
