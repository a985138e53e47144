// The cluster lifecycle on a real Docker engine: `mk start --nodes 2` under a random profile,
// real kubectl through the written kubeconfig, status/ip/ssh/profile list, a second start,
// stop + start keeping an object, and delete leaving nothing with the profile's label. HOME
// and KUBECONFIG point at a temp dir; the cluster is deleted in `after` whatever happened.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, startFlow, type Flow } from '../flows/cluster.ts';

let f: Flow;
let profile = '';
let kubeconfig = '';
const mk = (...args: string[]) => f.mk(...args);
const kubectl = (...args: string[]) => f.kubectl('kubectl', ...args);
const labelled = (kind: 'container' | 'network' | 'volume') => f.labelled(kind);

before(async () => {
  f = await startFlow('cluster');
  ({ profile, kubeconfig } = f);
  const r = f.started;
  ok(r, 'mk start');
  assert.match(r.stdout, new RegExp(`✓ Creating network mk-${profile} \\(\\d+\\.\\d+\\.0\\.0/16\\)  \\d+\\.\\ds\\n`));
  assert.match(r.stdout, new RegExp(`✓ Creating node ${profile}-m02 `));
  assert.match(r.stdout, new RegExp(`Done! kubectl is now configured to use "${profile}" cluster and "default" namespace by default\\n$`));
});

after(async () => { await f?.teardown(); });

test('real kubectl works through the written context', async () => {
  assert.match(readFileSync(kubeconfig, 'utf8'), new RegExp(`current-context: ${profile}`));
  const nodes = await kubectl('get', 'nodes');
  ok(nodes, 'get nodes');
  assert.match(nodes.stdout, new RegExp(`^${profile}\\s+Ready\\s+control-plane`, 'm'));
  assert.match(nodes.stdout, new RegExp(`^${profile}-m02\\s+Ready\\s`, 'm'));
  const ns = await kubectl('get', 'ns');
  for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(ns.stdout, new RegExp(`^${n}\\s+Active`, 'm'));
  const svc = await kubectl('get', 'svc');
  assert.match(svc.stdout, /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s/m);
});

test('status, ip, ssh, profile list', async () => {
  const st = await mk('status', '-p', profile);
  ok(st, 'status');
  assert.equal(st.stdout, `${profile}\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n${profile}-m02\ntype: Worker\nhost: Running\nkubelet: Running\n\n`);

  const wide = await kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.addresses[0].address}{"\\n"}{end}');
  const [cpIP, wIP] = wide.stdout.trim().split('\n');
  assert.match(cpIP!, /^\d+\.\d+\.0\.2$/);
  assert.equal((await mk('ip', '-p', profile)).stdout, `${cpIP}\n`);
  assert.equal((await mk('ip', '-p', profile, '-n', `${profile}-m02`)).stdout, `${wIP}\n`);
  const missing = await mk('ip', '-p', profile, '-n', 'nope');
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, new RegExp(`error: node nope not found in profile "${profile}"`));

  const route = await mk('ssh', '-p', profile, '--', 'ip', 'route');
  ok(route, 'ssh ip route');
  assert.match(route.stdout, new RegExp(`src ${cpIP!.replaceAll('.', '\\.')}`));
  const code = await mk('ssh', '-p', profile, '-n', `${profile}-m02`, '--', 'sh', '-c', 'hostname; exit 3');
  assert.equal(code.exitCode, 3);
  assert.equal(code.stdout, `${profile}-m02\n`);

  // a command that cannot start: the engine's words and docker's exit code, not a bug report
  for (const [cmd, code, why] of [['nosuchcmd', 127, 'executable file not found in \\$PATH'], ['/etc', 126, 'permission denied']] as const) {
    const r = await mk('ssh', '-p', profile, '--', cmd);
    assert.equal(r.exitCode, code, `${cmd}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^OCI runtime exec failed: .*exec: "${cmd}": ${why}.*\n$`));
    assert.doesNotMatch(r.stderr, /bug in mk/);
  }

  // the node's state volume holds Secrets (store, WAL), the CA key and the token: owner only
  const modes = await mk('ssh', '-p', profile, '--', 'stat', '-c', '%a %n', '/var/lib/mk', '/var/lib/mk/apiserver', '/var/lib/mk/apiserver/store.db', '/var/lib/mk/apiserver/store.db-wal', '/var/lib/mk/apiserver/ca.key', '/var/lib/mk/apiserver/token');
  ok(modes, 'stat in the node');
  assert.equal(modes.stdout, '700 /var/lib/mk\n700 /var/lib/mk/apiserver\n600 /var/lib/mk/apiserver/store.db\n600 /var/lib/mk/apiserver/store.db-wal\n600 /var/lib/mk/apiserver/ca.key\n600 /var/lib/mk/apiserver/token\n');

  // mk apiserver under the cluster's context name is refused, naming the cluster and the flag
  const api = await mk('apiserver', '--data-dir', join(f.home, 'apiserver-data'), '-p', profile);
  assert.equal(api.exitCode, 1);
  assert.equal(api.stderr, `error: the kubeconfig context "${profile}" belongs to the running cluster "${profile}" (made by "mk start"); mk apiserver will not replace it\n`
    + `Run this API server under another context name with -p/--profile NAME (e.g. -p ${profile}-apiserver), or delete that cluster first with "mk delete -p ${profile}".\n`);

  const list = await mk('profile', 'list');
  ok(list, 'profile list');
  assert.match(list.stdout, new RegExp(`^\\| ${profile} +\\| docker +\\| docker +\\| ${cpIP!.replaceAll('.', '\\.')} +\\| 6443 \\| v1\\.\\d+\\.\\d+ +\\| Running +\\| +2 \\| \\* +\\|$`, 'm'));
});

test('a stale context: mk status says how to fix it, mk start and mk update-context repair it', async () => {
  const good = readFileSync(kubeconfig, 'utf8');
  const port = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(good)![1]!;
  const spoil = () => writeFileSync(kubeconfig, good.replace(`https://127.0.0.1:${port}`, 'https://127.0.0.1:1'));
  spoil();
  const st = await mk('status', '-p', profile);
  assert.equal(st.exitCode, 4);
  assert.match(st.stdout, new RegExp(`kubeconfig: Misconfigured\n\n\nWARNING: Your kubectl is pointing to a stale address of "${profile}"\.\nTo fix the kubectl context, run \`mk update-context -p ${profile}\`\n`));
  const start = await mk('start', '-p', profile);
  ok(start, 'start on a running cluster');
  assert.equal(start.stdout, `The "${profile}" cluster is already running (2 nodes).\n* "${profile}" context has been updated to point to 127.0.0.1:${port}\n`);
  ok(await kubectl('get', 'nodes'), 'kubectl after mk start repaired the context');
  spoil();
  const upd = await mk('update-context', '-p', profile);
  ok(upd, 'update-context');
  assert.equal(upd.stdout, `* "${profile}" context has been updated to point to 127.0.0.1:${port}\n* Current context is "${profile}"\n`);
  assert.equal(readFileSync(kubeconfig, 'utf8'), good);
  const again = await mk('update-context', '-p', profile);
  assert.equal(again.stdout, `* No changes required for the "${profile}" context\n* Current context is "${profile}"\n`);
});

test('a second start changes nothing; stop + start keeps objects; delete leaves nothing', async () => {
  const again = await mk('start', '-p', profile);
  ok(again, 'second start');
  assert.equal(again.stdout, `The "${profile}" cluster is already running (2 nodes); nothing changed.\n`);

  ok(await kubectl('create', 'configmap', 'kept', '--from-literal=a=b'), 'create configmap');
  const stop = await mk('stop', '-p', profile);
  ok(stop, 'stop');
  assert.equal(stop.stdout, `Stopping node "${profile}"  ...\nStopping node "${profile}-m02"  ...\n2 nodes stopped.\n`);
  const st = await mk('status', '-p', profile);
  assert.equal(st.exitCode, 7);
  assert.match(st.stdout, /^host: Stopped$/m);

  const restart = await mk('start', '-p', profile);
  ok(restart, 'restart');
  assert.match(restart.stdout, new RegExp(`✓ Starting node ${profile}-m02 `));
  const cm = await kubectl('get', 'configmap', 'kept', '-o', 'jsonpath={.data.a}');
  ok(cm, 'configmap after restart');
  assert.equal(cm.stdout, 'b');

  const del = await mk('delete', '-p', profile);
  ok(del, 'delete');
  assert.equal(del.stdout, `Deleting "${profile}" in docker ...\nRemoved all traces of the "${profile}" cluster.\n`);
  assert.deepEqual([labelled('container'), labelled('network'), labelled('volume')], [[], [], []]);
  assert.doesNotMatch(readFileSync(kubeconfig, 'utf8'), new RegExp(profile));
  const gone = await mk('status', '-p', profile);
  assert.equal(gone.exitCode, 85);
  assert.match(gone.stderr, new RegExp(`Profile "${profile}" not found`));
});
