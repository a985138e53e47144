import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runApiServer } from './apiserver.ts';
import { bufferOutput } from '../lib/output.ts';
import { KubeClient } from '../client/index.ts';
import { R } from '../api/resources.ts';
import { MK_PROVIDER, saveClusterAccess } from '../kubeconfig/index.ts';
import { saveProfile } from '../cluster/profile.ts';
import { UserError } from '../lib/errors.ts';

function temp(t: { after(f: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'mk-apiserver-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, env: { HOME: dir }, kubeconfig: join(dir, 'kube', 'config'), dataDir: join(dir, 'data') };
}

/** runs `mk apiserver` until it wrote its context, then stops it; what it printed */
async function runOnce(o: Parameters<typeof runApiServer>[0]): Promise<string> {
  const io = bufferOutput();
  const stop = new AbortController();
  const running = runApiServer({ ...o, stop: stop.signal }, io);
  while (!io.stdout.includes('Wrote context')) {
    const failed = await Promise.race([running.then(() => true, (e) => { throw e; }), new Promise((r) => setTimeout(() => r(false), 20))]);
    if (failed) break;
  }
  stop.abort();
  await running;
  return io.stdout;
}

test('mk apiserver writes a working context and stops when told', async (t) => {
  const { env, kubeconfig, dataDir } = temp(t);
  const io = bufferOutput();
  const stop = new AbortController();
  const running = runApiServer({ dataDir, port: 0, profile: 'dev', kubeconfig, env, stop: stop.signal }, io);
  while (!io.stdout.includes('Wrote context')) await new Promise((r) => setTimeout(r, 20));
  assert.match(io.stdout, /^API server listening on https:\/\/127\.0\.0\.1:\d+\nWrote context "dev" to .*kube\/config \(now the current context\)\n$/);
  const client = KubeClient.fromKubeconfig({ path: kubeconfig });
  const svc = await client.get(R.services, 'default', 'kubernetes');
  assert.equal(svc.spec.clusterIP, '10.96.0.1');
  client.close();
  stop.abort();
  await running;
  assert.match(io.stdout, /Stopping the API server\n$/);
  // run again: the context it wrote itself is its to replace
  assert.match(await runOnce({ dataDir, port: 0, profile: 'dev', kubeconfig, env }), /Wrote context "dev"/);
});

test('mk apiserver never replaces the context of a cluster mk start made, or of another server', async (t) => {
  const cases: Array<{ name: string; setup: (o: ReturnType<typeof temp>) => void; state?: 'running' | 'stopped'; message: RegExp; hint: RegExp }> = [
    {
      name: 'the context of a running mk cluster',
      setup: ({ env, kubeconfig }) => {
        saveProfile({ name: 'mk', subnet: '10.244.0.0/16', image: 'mk-node:0.1.0', kubernetesVersion: 'v1.33.0', createdAt: '', ports: { apiserver: 40001, http: 40002, https: 40003 }, nodes: [] }, env);
        saveClusterAccess({ profile: 'mk', server: 'https://127.0.0.1:40001', caPem: 'PEM', token: 'T', extension: { provider: MK_PROVIDER, version: '0.1.0' } }, { path: kubeconfig });
      },
      state: 'running',
      message: /^the kubeconfig context "mk" belongs to the running cluster "mk" \(made by "mk start"\); mk apiserver will not replace it$/,
      hint: /^Run this API server under another context name with -p\/--profile NAME \(e\.g\. -p mk-apiserver\), or delete that cluster first with "mk delete -p mk"\.$/,
    },
    {
      name: 'a stopped mk cluster whose context is gone',
      setup: ({ env }) => saveProfile({ name: 'mk', subnet: '10.244.0.0/16', image: 'mk-node:0.1.0', kubernetesVersion: 'v1.33.0', createdAt: '', ports: { apiserver: 40001, http: 40002, https: 40003 }, nodes: [] }, env),
      state: 'stopped',
      message: /belongs to the stopped cluster "mk"/,
      hint: /-p\/--profile NAME/,
    },
    {
      name: 'a context of another server',
      setup: ({ kubeconfig }) => saveClusterAccess({ profile: 'mk', server: 'https://prod.invalid:6443', caPem: 'PEM', token: 'T' }, { path: kubeconfig }),
      message: /^the kubeconfig context "mk" in .*kube\/config points at https:\/\/prod\.invalid:6443, not at an API server "mk apiserver" ran; mk apiserver will not replace it$/,
      hint: /^Run this API server under another context name with -p\/--profile NAME \(e\.g\. -p mk-apiserver\), or remove that context first with "kubectl config delete-context mk"\.$/,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async (tt) => {
      const o = temp(tt);
      c.setup(o);
      const before = existsSync(o.kubeconfig) ? readFileSync(o.kubeconfig, 'utf8') : undefined;
      const err = await runApiServer({ dataDir: o.dataDir, port: 0, kubeconfig: o.kubeconfig, env: o.env, clusterState: async () => c.state }, bufferOutput()).then(() => undefined, (e) => e);
      assert.ok(err instanceof UserError, String(err));
      assert.match(err.message, c.message);
      assert.match(err.hint ?? '', c.hint);
      // refused before anything started or was written
      assert.equal(existsSync(o.dataDir), false);
      assert.equal(existsSync(o.kubeconfig) ? readFileSync(o.kubeconfig, 'utf8') : undefined, before);
      // another name is fine
      assert.match(await runOnce({ dataDir: o.dataDir, port: 0, profile: 'mk-apiserver', kubeconfig: o.kubeconfig, env: o.env }), /Wrote context "mk-apiserver"/);
    });
  }
});
