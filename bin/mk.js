#!/usr/bin/env node
// mk's entry point. Node >= 22.18 runs the TypeScript sources directly (type stripping), so oclif
// must not look for ts-node/tsx: auto-transpile is switched off and the explicit command
// target (commands/index.ts) is imported as is. Errors are printed once, kubectl-style.
// An older `node` on PATH hands over to the Node.js that mk depends on (node_modules/node).
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const [major, minor] = process.versions.node.split('.').map(Number);

if (major < 22 || (major === 22 && minor < 18)) {
  const newer = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(newer)) {
    process.stderr.write(`error: mk needs Node.js 22.18 or newer (this is ${process.version})\n`);
    process.exit(1);
  }
  const child = spawn(newer, [fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
} else {
  const { run, settings, flush } = await import('@oclif/core');
  settings.enableAutoTranspile = false;
  try {
    await run(argv, import.meta.url);
    await flush();
  } catch (err) {
    const { reportError } = await import('../src/cli/errors.ts');
    process.exitCode = reportError(err, argv.includes('--verbose'));
  }
}
