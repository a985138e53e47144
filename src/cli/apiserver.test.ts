import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runApiServer } from './apiserver.ts';
import { bufferOutput } from './io.ts';
import { KubeClient } from '../client/index.ts';
import { resolveResource } from '../api/resources.ts';

test('mk apiserver writes a working context and stops when told', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-apiserver-'));
  const io = bufferOutput();
  const stop = new AbortController();
  const kubeconfig = join(dir, 'kube', 'config');
  try {
    const running = runApiServer({ dataDir: join(dir, 'data'), port: 0, profile: 'dev', kubeconfig, stop: stop.signal }, io);
    while (!io.stdout.includes('Wrote context')) await new Promise((r) => setTimeout(r, 20));
    assert.match(io.stdout, /^API server listening on https:\/\/127\.0\.0\.1:\d+\nWrote context "dev" to .*kube\/config \(now the current context\)\n$/);
    const client = KubeClient.fromKubeconfig({ path: kubeconfig });
    const svc = await client.get(resolveResource('svc')!, 'default', 'kubernetes');
    assert.equal(svc.spec.clusterIP, '10.96.0.1');
    client.close();
    stop.abort();
    await running;
    assert.match(io.stdout, /Stopping the API server\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
