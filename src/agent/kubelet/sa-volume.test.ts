// Token volumes on the node: the admission plugin's kube-api-access volume becomes token, ca.crt
// and namespace in the kubelet's ..data layout, rewritten atomically when a value changes; each
// container that mounts it gets a bind mount from the engine's path; a missing kube-root-ca.crt
// is the kubelet's FailedMount message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.ts';
import { tokenVolumeSource } from '../../apiserver/admission-serviceaccount.ts';
import { FakeClock } from '../../controllers/clock.ts';
import type { KubeletContext } from './context.ts';
import { ServiceAccountVolumes, fieldValue } from './sa-volume.ts';
import { writeAtomically } from './sa-volume-files.ts';

const root = mkdtempSync(join(tmpdir(), 'mk-sa-volume-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

test('atomic writes: ..data points at a timestamped dir, files are links through it, nothing rewritten when unchanged', async () => {
  const dir = join(root, 'atomic');
  const f = (path: string, content: string, mode = 0o644) => ({ path, content: Buffer.from(content), mode });
  assert.equal(await writeAtomically(dir, [f('token', 'one'), f('ca.crt', 'CA', 0o600)]), true);
  const first = readlinkSync(join(dir, '..data'));
  assert.match(first, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9}$/);
  assert.equal(readlinkSync(join(dir, 'token')), join('..data', 'token'));
  assert.equal(readFileSync(join(dir, 'token'), 'utf8'), 'one');
  assert.equal((statSync(join(dir, 'ca.crt')).mode & 0o777).toString(8), '600');
  assert.equal(await writeAtomically(dir, [f('token', 'one'), f('ca.crt', 'CA', 0o600)]), false);
  assert.equal(await writeAtomically(dir, [f('token', 'two')]), true);
  assert.notEqual(readlinkSync(join(dir, '..data')), first);
  assert.equal(readFileSync(join(dir, 'token'), 'utf8'), 'two');
  assert.deepEqual(readdirSync(dir).sort(), ['..data', readlinkSync(join(dir, '..data')), 'token'].sort(), 'the old dir and the gone file are removed');
  assert.ok(lstatSync(join(dir, 'token')).isSymbolicLink());
});

const pod = (over: Partial<KubeObject['spec']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-1', labels: { b: '2', a: '1' } },
  spec: {
    serviceAccountName: 'default',
    nodeName: 'mk',
    containers: [
      { name: 'main', volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }, { name: 'data', mountPath: '/data' }] },
      { name: 'side', volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/token', subPath: 'token' }] },
    ],
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'kube-api-access-abcde', projected: tokenVolumeSource() }],
    ...over,
  },
});

function setup(configmaps: Record<string, Record<string, string>>) {
  let n = 0;
  const asked: [string | undefined, number][] = [];
  const ctx = {
    clock: new FakeClock(),
    client: {
      get: async (_r: unknown, ns: string, name: string) => {
        const data = configmaps[`${ns}/${name}`];
        if (!data) throw Object.assign(new Error(`configmaps "${name}" not found`), { code: 404 });
        return { metadata: { name }, data };
      },
    },
  } as unknown as KubeletContext;
  const tokens = { token: async (_p: KubeObject, aud: string | undefined, exp: number) => (asked.push([aud, exp]), { token: `token-${++n}`, expirationTimestamp: '' }), forget: () => undefined };
  const dir = { local: join(root, 'pods'), engine: '/var/lib/docker/volumes/mk/_data/pods' };
  return { vols: new ServiceAccountVolumes(ctx, tokens, dir), asked, dir };
}

test('the kube-api-access volume: token, ca.crt and namespace, 0644, under the pod\'s uid', async () => {
  const { vols, asked, dir } = setup({ 'shop/kube-root-ca.crt': { 'ca.crt': 'PEM' } });
  await vols.setUp(pod());
  const vdir = join(dir.local, 'uid-1', 'volumes', 'kubernetes.io~projected', 'kube-api-access-abcde');
  assert.deepEqual(readdirSync(vdir).filter((e) => !e.startsWith('..')).sort(), ['ca.crt', 'namespace', 'token']);
  assert.deepEqual(['token', 'ca.crt', 'namespace'].map((f) => readFileSync(join(vdir, f), 'utf8')), ['token-1', 'PEM', 'shop']);
  assert.equal((statSync(join(vdir, 'token')).mode & 0o777).toString(8), '644');
  assert.deepEqual(asked, [[undefined, 3607]]);
  await vols.setUp(pod());
  assert.equal(readFileSync(join(vdir, 'token'), 'utf8'), 'token-2', 'a new token is written in place');
  await vols.tearDown('uid-1');
  assert.deepEqual(readdirSync(dir.local), []);
});

test('mounts: the volume dir from the engine\'s side, read-only as asked; a subPath is the file itself', () => {
  const { vols, dir } = setup({});
  const p = pod();
  const vdir = `${dir.engine}/uid-1/volumes/kubernetes.io~projected/kube-api-access-abcde`;
  assert.deepEqual(vols.mounts(p, p.spec!.containers[0]), [{ type: 'bind', source: vdir, target: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]);
  assert.deepEqual(vols.mounts(p, p.spec!.containers[1]), [{ type: 'bind', source: `${vdir}/..data/token`, target: '/token', readOnly: false }]);
  assert.deepEqual(vols.mounts(pod({ volumes: [] }), p.spec!.containers[0]), []);
});

test('a missing kube-root-ca.crt is the kubelet\'s FailedMount message; an optional one is skipped', async () => {
  const { vols } = setup({});
  await assert.rejects(vols.setUp(pod()), { message: 'MountVolume.SetUp failed for volume "kube-api-access-abcde" : configmap "kube-root-ca.crt" not found' });
  const optional = tokenVolumeSource();
  optional.sources[1].configMap.optional = true;
  await vols.setUp(pod({ volumes: [{ name: 'kube-api-access-abcde', projected: optional }] }));
});

test('downward API fields as the kubelet writes them', () => {
  const p = pod();
  p.metadata.annotations = { note: 'say "hi"' };
  const cases: [string, string | undefined][] = [
    ['metadata.namespace', 'shop'],
    ['metadata.name', 'web'],
    ['metadata.uid', 'uid-1'],
    ['metadata.labels', 'a="1"\nb="2"'],
    ["metadata.labels['b']", '2'],
    ['metadata.annotations', 'note="say \\"hi\\""'],
    ['spec.serviceAccountName', 'default'],
    ['spec.nodeName', 'mk'],
    ['status.podIP', ''],
    ['spec.hostname', undefined],
  ];
  for (const [path, want] of cases) assert.equal(fieldValue(p, path), want, path);
});

test('sweep: folders of pods the node no longer has are removed, the others kept', async () => {
  const { vols, dir } = setup({ 'shop/kube-root-ca.crt': { 'ca.crt': 'PEM' } });
  await vols.setUp(pod());
  await vols.setUp({ ...pod(), metadata: { ...pod().metadata, uid: 'uid-gone' } });
  await vols.sweep(new Set(['uid-1']));
  assert.deepEqual(readdirSync(dir.local), ['uid-1']);
});
