// Golden output of `mk start` (as kwok keeps test/e2e/kwokctl/dryrun/testdata): the step list
// and the closing lines a user sees without a terminal, for a new 2-node cluster, a start
// again after `mk stop`, and a start of a running cluster — run on the fake engine, whose
// control plane runs a real API server. Durations and host ports are masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStart } from '../cli/start.ts';
import { bufferOutput } from '../lib/output.ts';
import { engine } from './fake-cluster.test-helper.ts';
import { Cluster } from './index.ts';

const TESTDATA = join(fileURLToPath(import.meta.url), '..', 'testdata');

const mask = (text: string) => text.replace(/\d+(\.\d+)?(ms|s)\b/g, 'Ns').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');

/** Compares with testdata/NAME; MK_UPDATE_GOLDEN=1 rewrites the file instead. */
function golden(name: string, got: string): void {
  const file = join(TESTDATA, name);
  if (process.env.MK_UPDATE_GOLDEN === '1') writeFileSync(file, got);
  assert.equal(got, readFileSync(file, 'utf8'), `differs from ${file} (MK_UPDATE_GOLDEN=1 rewrites it)`);
}

test('mk start prints its steps and result as the golden files say', async (t) => {
  const { rt, env, kubeconfig, o } = engine(t);
  const cluster = Cluster.open('mk', { rt, env, kubeconfig });
  const flags = { nodes: 2, wait: false, version: o.version, packageRoot: o.packageRoot, waitTimeoutMs: o.waitTimeoutMs };
  const run = async () => {
    const io = bufferOutput();
    await runStart(cluster, flags, io);
    return mask(io.stdout + io.stderr);
  };
  golden('start-new-2-nodes.txt', await run());
  await cluster.stop();
  golden('start-stopped.txt', await run());
  golden('start-running.txt', await run());
});
