// A cluster's address across restarts, on the fake runtime with a real API server standing in
// for the control plane's agent (started on the host port the container publishes): the port is
// chosen once, published explicitly, recorded in the profile and comes back after a restart;
// a port taken before the first bind is chosen again, one taken while the cluster was stopped
// is named (the API server's) or chosen again (an ingress port); a stale context is repaired by `mk start` and by
// `mk update-context`, and `mk status` names the command that fixes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../api/resources.ts';
import { KubeClient } from '../client/index.ts';
import { readConfig, saveClusterAccess } from '../kubeconfig/index.ts';
import { bufferOutput } from '../lib/output.ts';
import { runUpdateContext } from '../cli/update-context.ts';
import { Cluster } from './index.ts';
import type { Runtime } from '../runtime/types.ts';
import { FakeRuntime } from './fake-runtime.test-helper.ts';
import { engine } from './fake-cluster.test-helper.ts';
import { loadProfile } from './profile.ts';
import { stopCluster } from './lifecycle.ts';
import { startCluster } from './start.ts';
import { clusterStatus } from './status.ts';
import { renderStatus } from '../cli/cluster-views.ts';
import { silentReporter } from './steps/runner.ts';

const NAMESPACES = R.namespaces;

/** what `kubectl get ns` through the kubeconfig's context gets: the namespace names */
async function namespacesVia(kubeconfig: string): Promise<string[]> {
  const client = KubeClient.fromKubeconfig({ path: kubeconfig, context: 'mk' });
  try {
    return (await client.list(NAMESPACES)).items.map((n) => n.metadata.name!).sort();
  } finally {
    client.close();
  }
}

async function restart(rt: Runtime, f: FakeRuntime, name: string): Promise<void> {
  const id = f.byName(name).id;
  await rt.stopContainer(id, 10);
  await rt.startContainer(id);
}

test('the API server port is chosen once, recorded in the profile, and the same after a restart', async (t) => {
  const { f, rt, env, kubeconfig, o } = engine(t);
  const r = await startCluster(o, silentReporter, rt);
  assert.equal(r.outcome, 'created');
  const p = loadProfile('mk', env)!;
  assert.equal(r.apiServerPort, p.ports.apiserver);
  assert.equal(new Set(Object.values(p.ports)).size, 3, `three distinct ports: ${JSON.stringify(p.ports)}`);
  // published explicitly: Docker binds these again on every start of the container
  assert.deepEqual(f.byName('mk').spec.publish!.map((x) => [x.containerPort, x.hostIp, x.hostPort]),
    [[6443, '127.0.0.1', p.ports.apiserver], [80, '127.0.0.1', p.ports.http], [443, '127.0.0.1', p.ports.https]]);
  assert.equal(readConfig(kubeconfig).clusters[0]!.cluster.server, `https://127.0.0.1:${p.ports.apiserver}`);
  assert.deepEqual(await namespacesVia(kubeconfig), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);

  await restart(rt, f, 'mk');
  assert.deepEqual(await namespacesVia(kubeconfig), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  const again = await startCluster(o, silentReporter, rt);
  assert.deepEqual([again.outcome, again.contextUpdated, again.apiServerPort], ['running', undefined, p.ports.apiserver]);
});

test('a port taken between the choice and the bind is chosen again', async (t) => {
  const { f, rt, env, o } = engine(t);
  const create = rt.createContainer.bind(rt);
  let first: number | undefined;
  rt.createContainer = async (spec) => {
    // another program binds the chosen API server port just before Docker does
    if (first === undefined && spec.publish) f.takenPorts.add(first = spec.publish[0]!.hostPort!);
    return create(spec);
  };
  const r = await startCluster(o, silentReporter, rt);
  assert.equal(r.outcome, 'created');
  assert.notEqual(r.apiServerPort, first);
  assert.equal(loadProfile('mk', env)!.ports.apiserver, r.apiServerPort);
  assert.deepEqual(f.calls.filter((c) => /^(create|start|remove) /.test(c)), ['create mk', 'start mk', 'remove mk', 'create mk', 'start mk']);
});

test('a stopped cluster whose port another program took meanwhile says so, and starts on it once freed', async (t) => {
  const { f, rt, env, kubeconfig, o } = engine(t);
  const port = (await startCluster(o, silentReporter, rt)).apiServerPort!;
  await stopCluster('mk', { rt, env, kubeconfig, out: () => {} });
  f.takenPorts.add(port);
  await assert.rejects(startCluster(o, silentReporter, rt), (e: Error & { hint?: string }) => {
    assert.match(e.message, new RegExp(`^node mk cannot start: .*Bind for 127\\.0\\.0\\.1:${port} failed: port is already allocated$`));
    assert.match(e.hint!, new RegExp(`^Another program took a host port of "mk" while it was stopped \\(API server ${port}, HTTP \\d+, HTTPS \\d+ on 127\\.0\\.0\\.1\\): stop that program, or delete the cluster with "mk delete -p mk" and start it again\\.$`));
    return true;
  });
  f.takenPorts.clear();
  const r = await startCluster(o, silentReporter, rt);
  assert.deepEqual([r.outcome, r.apiServerPort], ['restarted', port]);
  assert.deepEqual(await namespacesVia(kubeconfig), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
});

test('a stale context is repaired by mk start and by mk update-context, and mk status says how', async (t) => {
  const { rt, env, kubeconfig, o } = engine(t);
  const r = await startCluster(o, silentReporter, rt);
  const port = r.apiServerPort!;
  const good = readConfig(kubeconfig);
  const stale = (ns?: string) => saveClusterAccess({ profile: 'mk', server: 'https://127.0.0.1:1', caPem: 'old', token: 'old', namespace: ns }, { path: kubeconfig, makeCurrent: false });

  stale('kube-system');
  const status = await clusterStatus(rt, 'mk', { env, kubeconfig });
  assert.equal(status[0]!.kubeconfig, 'Misconfigured');
  assert.match(renderStatus(status, 'mk'), /kubeconfig: Misconfigured\n\n\nWARNING: Your kubectl is pointing to a stale address of "mk"\.\nTo fix the kubectl context, run `mk update-context -p mk`\n$/);

  const repaired = await startCluster(o, silentReporter, rt);
  assert.deepEqual([repaired.outcome, repaired.contextUpdated, repaired.apiServerPort], ['running', true, port]);
  const cfg = readConfig(kubeconfig);
  assert.deepEqual(cfg.clusters, good.clusters);
  assert.deepEqual(cfg.users, good.users);
  assert.equal(cfg.contexts[0]!.context.namespace, 'kube-system', 'the namespace the user chose is kept');
  assert.equal((await clusterStatus(rt, 'mk', { env, kubeconfig }))[0]!.kubeconfig, 'Configured');

  stale();
  const io = bufferOutput();
  assert.equal(await runUpdateContext(Cluster.open('mk', { rt, env, kubeconfig }), io), true);
  assert.equal(io.stdout, `* "mk" context has been updated to point to 127.0.0.1:${port}\n* Current context is "mk"\n`);
  assert.deepEqual(await namespacesVia(kubeconfig), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  const tty = bufferOutput();
  tty.tty = true;
  await runUpdateContext(Cluster.open('mk', { rt, env, kubeconfig }), tty);
  assert.equal(tty.stdout, '🙄  No changes required for the "mk" context\n💗  Current context is "mk"\n');
});

test('a stopped cluster whose ingress port another cluster took meanwhile starts on new ingress ports, its API server port kept', async (t) => {
  const { f, rt, env, kubeconfig, o } = engine(t);
  const first = (await startCluster(o, silentReporter, rt)).apiServerPort!;
  const before = loadProfile('mk', env)!.ports;
  await stopCluster('mk', { rt, env, kubeconfig, out: () => {} });
  f.takenPorts.add(before.http); // e.g. 127.0.0.1:80, free when this cluster stopped, taken by the next one
  const r = await startCluster(o, silentReporter, rt);
  assert.deepEqual([r.outcome, r.apiServerPort], ['restarted', first]);
  const after = loadProfile('mk', env)!.ports;
  assert.equal(after.apiserver, before.apiserver);
  assert.notEqual(after.http, before.http);
  assert.equal(after.https, before.https);
  assert.deepEqual(f.byName('mk').spec.publish!.map((x) => [x.containerPort, x.hostPort]), [[6443, after.apiserver], [80, after.http], [443, after.https]]);
  assert.deepEqual(await namespacesVia(kubeconfig), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
});
