// A fake engine whose control-plane container "runs" a real API server on the host port the
// container publishes (and whose state volume holds its CA and token): enough of a cluster for
// `mk start`, restarts and `mk status` to run their real steps without Docker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/index.ts';
import { FakeRuntime, type FakeContainer } from './fake-runtime.test-helper.ts';
import { startOptions } from './start.ts';

/** A fake engine whose control-plane container "runs" an API server on its published port. */
export function engine(t: { after(f: () => Promise<void> | void): void }) {
  const home = mkdtempSync(join(tmpdir(), 'mk-restart-'));
  const f = new FakeRuntime();
  const servers = new Map<string, RunningApiServer>();
  f.onStart = async (c: FakeContainer) => {
    if (c.spec.labels['mk.role'] !== 'control-plane') return;
    const port = c.ports.find((p) => p.containerPort === 6443)!.hostPort;
    const srv = await startApiServer({ dataDir: join(home, 'volume', 'apiserver'), port });
    f.files.set('/var/lib/mk/apiserver/ca.crt', srv.caPem);
    f.files.set('/var/lib/mk/apiserver/token', `${srv.token}\n`);
    servers.set(c.id, srv);
  };
  f.onStop = async (c: FakeContainer) => {
    await servers.get(c.id)?.close();
    servers.delete(c.id);
  };
  t.after(async () => {
    for (const s of servers.values()) await s.close();
    rmSync(home, { recursive: true, force: true });
  });
  const env = { HOME: home };
  const kubeconfig = join(home, 'kube', 'config');
  // the ingress ports are free or taken as the fake engine says, whatever this machine holds
  const portProbe = async (p: number) => (f.takenPorts.has(p) ? 'taken' as const : 'free' as const);
  const o = { ...startOptions({ env, kubeconfig, wait: false, version: '0.1.0', packageRoot: '/pkg', waitTimeoutMs: 20_000 }), portProbe };
  return { f, rt: f.asRuntime(), env, kubeconfig, o };
}

