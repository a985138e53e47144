// Pod volumes on a real Docker engine, with the kubelet running on the host (the volume root is a
// temp dir the engine shares): emptyDir shared by two containers and as tmpfs, configMap files
// swapped through ..data on an update, secret modes, hostPath types with the kubelet's events,
// subPath and readOnly, a claim bound to a hostPath volume, and everything removed with the pod.
// Everything made is labelled mk.test=<id> and removed in `after`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../../../src/apiserver/index.ts';
import { KubeClient } from '../../../src/client/index.ts';
import { LABELS } from '../../../src/runtime/index.ts';
import { startKubelet, type RunningKubelet } from '../../../src/agent/kubelet/index.ts';
import { R } from '../../../src/api/resources.ts';
import { ensureTestImages, TEST_IMAGES } from '../../images/index.ts';
import { cleanup, freeSubnet, suite, waitFor } from '../runtime/helpers.ts';
import type { KubeObject } from '../../../src/api/types.ts';

const s = suite();
let dir: string;
let api: RunningApiServer;
let client: KubeClient;
let kubelet: RunningKubelet;
const NODE = 'mk-test-vol';

async function sh(pod: string, script: string, container?: string): Promise<{ out: string; code: number }> {
  const p = await kubelet.execBackend.exec({ namespace: 'default', pod, container, command: ['sh', '-c', script], stdin: false, stdout: true, stderr: true, tty: false });
  let out = '';
  p.stdout.on('data', (b: Buffer) => (out += b));
  p.stderr?.on('data', (b: Buffer) => (out += b));
  const ended = (r: NodeJS.ReadableStream | undefined) => (r ? new Promise((res) => r.once('end', res)) : undefined);
  const [code] = await Promise.all([p.exitCode, ended(p.stdout), ended(p.stderr ?? undefined)]);
  return { out, code };
}

const sleeper = (name: string, mounts: object[] = []) => ({ name, image: TEST_IMAGES.busybox, command: ['sleep', '3600'], volumeMounts: mounts });
const pod = (name: string, spec: any): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 0, ...spec } });
const running = (name: string) => waitFor(`${name} Running`, async () => {
  const p = await client.get(R.pods, 'default', name);
  return p.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((c: any) => c.state?.running) ? p : undefined;
}, 30_000);
const events = async (name: string) => (await client.list(R.events, { namespace: 'default', fieldSelector: `involvedObject.name=${name}` })).items;

before(async () => {
  await s.rt.ping();
  await ensureTestImages(s.rt);
  const net = await freeSubnet(s.rt);
  await s.rt.ensureNetwork({ name: s.name('net'), subnet: net.subnet, gateway: net.gateway, ipRange: `${net.prefix}.0.0/24`, labels: s.labels });
  dir = mkdtempSync(join(tmpdir(), 'mk-volumes-'));
  api = await startApiServer({ dataDir: join(dir, 'api') });
  client = new KubeClient({ server: api.url, caPem: api.caPem, token: api.token });
  kubelet = startKubelet({
    client, runtime: s.rt, nodeName: NODE, nodeIP: net.gateway, podCIDR: `${net.prefix}.1.0/24`, clusterName: `mk-test-${s.id}`,
    networkName: s.name('net'), serviceCIDR: '10.96.0.0/12', dnsIP: '10.96.0.10', sandboxImage: TEST_IMAGES.busybox, labels: s.labels,
    resyncMs: 300, onError: (e) => console.error(e), volumeRoot: { local: join(dir, 'vol'), engine: join(dir, 'vol') },
  });
  api.streams.exec = kubelet.execBackend;
  await kubelet.ready;
});

after(async () => {
  await kubelet?.stop();
  client?.close();
  await api?.close();
  await cleanup(s);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('two containers share an emptyDir; a Memory one is a tmpfs of its size', async () => {
  await client.create(R.pods, 'default', pod('share', {
    containers: [sleeper('writer', [{ name: 'shared', mountPath: '/out' }, { name: 'mem', mountPath: '/mem' }]), sleeper('reader', [{ name: 'shared', mountPath: '/in', readOnly: true }])],
    volumes: [{ name: 'shared', emptyDir: {} }, { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }],
  }));
  await running('share');
  assert.equal((await sh('share', 'echo hello > /out/msg', 'writer')).code, 0);
  assert.equal((await sh('share', 'cat /in/msg', 'reader')).out, 'hello\n');
  assert.match((await sh('share', 'touch /in/x', 'reader')).out, /Read-only file system/);
  const df = await sh('share', "df -k /mem | tail -1 | awk '{print $1, $2}'", 'writer');
  assert.equal(df.out, 'tmpfs 8192\n');
});

test('configMap files swap through ..data on an update; subPath keeps the old file', async () => {
  await client.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'game', namespace: 'default' }, data: { lives: '3', color: 'blue' } });
  await client.create(R.pods, 'default', pod('cfg', {
    containers: [sleeper('c', [{ name: 'cfg', mountPath: '/etc/game' }, { name: 'cfg', mountPath: '/etc/lives', subPath: 'lives' }])],
    volumes: [{ name: 'cfg', configMap: { name: 'game' } }],
  }));
  await running('cfg');
  const ls = await sh('cfg', 'ls -a /etc/game; readlink /etc/game/lives; cat /etc/game/lives');
  assert.match(ls.out, /^\.\.2\d{3}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/m);
  assert.match(ls.out, /^\.\.data$/m);
  assert.match(ls.out, /^\.\.data\/lives\n3$/m);
  await client.patch(R.configmaps, 'default', 'game', { data: { lives: '5', color: null } }, 'merge');
  await waitFor('the new value', async () => ((await sh('cfg', 'cat /etc/game/lives')).out === '5' ? true : undefined), 10_000);
  assert.equal((await sh('cfg', 'ls /etc/game')).out, 'lives\n');
  assert.equal((await sh('cfg', 'cat /etc/lives')).out, '3');
});

test('secret files are 0644 by default, defaultMode and item modes honoured; a missing one is a FailedMount', async () => {
  await client.create(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, stringData: { user: 'admin', pass: 's3cr3t' } });
  await client.create(R.pods, 'default', pod('sec', {
    containers: [sleeper('c', [{ name: 'a', mountPath: '/a' }, { name: 'b', mountPath: '/b' }])],
    volumes: [{ name: 'a', secret: { secretName: 'creds' } }, { name: 'b', secret: { secretName: 'creds', defaultMode: 0o400, items: [{ key: 'pass', path: 'p/pass', mode: 0o440 }, { key: 'user', path: 'user' }] } }],
  }));
  await running('sec');
  const st = await sh('sec', 'stat -L -c "%a %n" /a/user /a/pass /b/p/pass /b/user; cat /a/pass');
  assert.equal(st.out, '644 /a/user\n644 /a/pass\n440 /b/p/pass\n400 /b/user\ns3cr3t');
  await client.create(R.pods, 'default', pod('nosec', { containers: [sleeper('c', [{ name: 'x', mountPath: '/x' }])], volumes: [{ name: 'x', secret: { secretName: 'nope' } }] }));
  const ev = await waitFor('FailedMount', async () => (await events('nosec')).find((e: any) => e.reason === 'FailedMount'), 10_000);
  assert.equal(ev.message, 'MountVolume.SetUp failed for volume "x" : secret "nope" not found');
  // the status is written on the kubelet's next pass, which may come after the event
  const reason = await waitFor('nosec ContainerCreating', async () => (await client.get(R.pods, 'default', 'nosec')).status?.containerStatuses?.[0]?.state?.waiting?.reason, 10_000);
  assert.equal(reason, 'ContainerCreating');
});

test('hostPath: data survives the pod; types checked with the kubelet messages', async () => {
  const spec = (type: string) => ({ containers: [sleeper('c', [{ name: 'h', mountPath: '/h' }])], volumes: [{ name: 'h', hostPath: { path: '/srv/data', type } }] });
  await client.create(R.pods, 'default', pod('hp1', spec('DirectoryOrCreate')));
  await running('hp1');
  await sh('hp1', 'echo kept > /h/file');
  await client.delete(R.pods, 'default', 'hp1', { gracePeriodSeconds: 0 });
  await waitFor('hp1 gone', async () => (await client.get(R.pods, 'default', 'hp1').catch(() => undefined)) ? undefined : true, 20_000);
  await client.create(R.pods, 'default', pod('hp2', spec('Directory')));
  await running('hp2');
  assert.equal((await sh('hp2', 'cat /h/file')).out, 'kept\n');
  await client.create(R.pods, 'default', pod('hp3', { containers: [sleeper('c', [{ name: 'h', mountPath: '/h' }])], volumes: [{ name: 'h', hostPath: { path: '/srv/data/file', type: 'Directory' } }] }));
  const ev = await waitFor('FailedMount', async () => (await events('hp3')).find((e: any) => e.reason === 'FailedMount'), 10_000);
  assert.equal(ev.message, 'MountVolume.SetUp failed for volume "h" : hostPath type check failed: /srv/data/file is not a directory');
  assert.equal(existsSync('/srv/data/file'), false, 'the hostPath is on the node, not on this machine');
});

test('a claim bound to a hostPath volume is mounted; downwardAPI files', async () => {
  await client.create(R.persistentvolumes, undefined, { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/pv1' }, claimRef: { namespace: 'default', name: 'data' } } });
  await client.create(R.persistentvolumeclaims, 'default', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  await client.create(R.pods, 'default', pod('claim', {
    containers: [sleeper('c', [{ name: 'd', mountPath: '/data' }, { name: 'info', mountPath: '/info' }])],
    volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }, { name: 'info', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } }],
  }));
  await waitFor('FailedMount while unbound', async () => (await events('claim')).find((e: any) => e.reason === 'FailedMount' && /PVC is not bound/.test(e.message)), 10_000);
  // what the binder does (tested on its own): bind both sides
  await client.patch(R.persistentvolumeclaims, 'default', 'data', { spec: { volumeName: 'pv1' } }, 'merge');
  await client.patch(R.persistentvolumeclaims, 'default', 'data', { status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } }, 'merge', { subresource: 'status' });
  await running('claim');
  assert.equal((await sh('claim', 'echo x > /data/f && cat /info/name')).out, 'claim');
  assert.ok(existsSync(join(dir, 'vol', 'nodes', NODE, 'hostpath', 'mnt', 'pv1', 'f')));
});

test('a deleted pod takes its volume handles and its directory with it', async () => {
  const uid = (await client.get(R.pods, 'default', 'share')).metadata.uid!;
  const handles = async () => (await s.rt.listVolumes({ [LABELS.podUid]: uid })).length;
  assert.ok((await handles()) >= 2);
  await client.delete(R.pods, 'default', 'share', { gracePeriodSeconds: 0 });
  await waitFor('handles gone', async () => ((await handles()) === 0 ? true : undefined), 20_000);
  // the directory goes right after the handles, in the same teardown
  await waitFor('the pod\'s directory gone', async () => (readdirSync(join(dir, 'vol', 'nodes', NODE, 'pods')).includes(uid) ? undefined : true), 10_000);
});
