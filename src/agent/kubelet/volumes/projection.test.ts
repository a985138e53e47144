// Items and modes as the kubelet maps them: every key at its name or each item at its path, the
// item's mode over the volume's defaultMode over 0644, optional sources and keys, the kubelet's
// messages for what is missing, downward API values and projected volumes with a token source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.ts';
import type { Payload } from './atomic-writer.ts';
import { formatMap, resourceFieldValue } from './downward.ts';
import { MountError, payloadFor, type ProjectionInputs } from './projection.ts';
import { kubeApiAccessVolume } from '../../../api/serviceaccounts.ts';
import { noTokenSource, type TokenSource } from './token.ts';

const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'game', namespace: 'default' }, data: { 'game.properties': 'lives=3', 'ui.properties': 'color=blue' }, binaryData: { 'logo.bin': Buffer.from([0, 1, 2]).toString('base64') } };
const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, type: 'Opaque', data: { username: Buffer.from('admin').toString('base64'), password: Buffer.from('s3cr3t').toString('base64') } };
const rootCA: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n' } };
const pod: KubeObject = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', labels: { app: 'web', tier: 'front"end' }, annotations: { build: 'two\nlines' } },
  spec: { serviceAccountName: 'builder', containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '250m' }, requests: { cpu: '250m', memory: '32Mi' } } }] },
};
const objects = [cm, secret, rootCA];
const tokens: TokenSource = { async requestToken(_p, o) { return { token: `jwt-for-${o.serviceAccountName}-${o.expirationSeconds}`, expirationTimestamp: new Date(Date.now() + 3600_000) }; } };
const inputs = (t: TokenSource = tokens): ProjectionInputs => ({
  configMap: (ns, n) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === ns && o.metadata.name === n),
  secret: (ns, n) => objects.find((o) => o.kind === 'Secret' && o.metadata.namespace === ns && o.metadata.name === n),
  tokens: t,
  allocatable: { cpu: '4', memory: '8Gi' },
});

const show = (p: Payload) => Object.fromEntries([...p].map(([k, f]) => [k, `${f.mode.toString(8)} ${f.data.toString('utf8')}`]));

const cases: Array<{ name: string; volume: any; want: Record<string, string> | RegExp }> = [
  { name: 'configMap: every key at its name, 0644', volume: { configMap: { name: 'game' } },
    want: { 'game.properties': '644 lives=3', 'ui.properties': '644 color=blue', 'logo.bin': '644 \u0000\u0001\u0002' } },
  { name: 'configMap: items at their paths, item mode over defaultMode', volume: { configMap: { name: 'game', defaultMode: 0o440, items: [{ key: 'game.properties', path: 'conf/game' }, { key: 'ui.properties', path: 'ui', mode: 0o600 }] } },
    want: { 'conf/game': '440 lives=3', ui: '600 color=blue' } },
  { name: 'configMap missing', volume: { configMap: { name: 'nope' } }, want: /^configmap "nope" not found$/ },
  { name: 'configMap missing but optional: an empty volume', volume: { configMap: { name: 'nope', optional: true } }, want: {} },
  { name: 'configMap key missing', volume: { configMap: { name: 'game', items: [{ key: 'x', path: 'x' }] } }, want: /^configmap references non-existent config key: x$/ },
  { name: 'configMap key missing, optional: skipped', volume: { configMap: { name: 'game', optional: true, items: [{ key: 'x', path: 'x' }, { key: 'ui.properties', path: 'u' }] } }, want: { u: '644 color=blue' } },
  { name: 'secret: decoded, 0644 by default', volume: { secret: { secretName: 'creds' } }, want: { username: '644 admin', password: '644 s3cr3t' } },
  { name: 'secret: defaultMode 0400', volume: { secret: { secretName: 'creds', defaultMode: 0o400 } }, want: { username: '400 admin', password: '400 s3cr3t' } },
  { name: 'secret missing', volume: { secret: { secretName: 'nope' } }, want: /^secret "nope" not found$/ },
  { name: 'secret key missing', volume: { secret: { secretName: 'creds', items: [{ key: 'token', path: 't' }] } }, want: /^references non-existent secret key: token$/ },
  { name: 'downwardAPI: labels and annotations as key="value" lines, one label, name', volume: { downwardAPI: { items: [
    { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
    { path: 'app', fieldRef: { fieldPath: "metadata.labels['app']" } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' }, mode: 0o400 },
  ] } }, want: { labels: '644 app="web"\ntier="front\\"end"', annotations: '644 build="two\\nlines"', app: '644 web', name: '400 web' } },
  { name: 'downwardAPI: cpu limit in millicores, memory limit from the node', volume: { downwardAPI: { items: [
    { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
    { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
    { path: 'req', resourceFieldRef: { containerName: 'c', resource: 'requests.memory' } },
  ] } }, want: { cpu: '644 250', mem: '644 8192', req: '644 33554432' } },
  { name: 'projected: the service account volume (token, ca.crt, namespace)', volume: kubeApiAccessVolume('abcde'),
    want: { token: '644 jwt-for-builder-3607', 'ca.crt': '644 -----BEGIN CERTIFICATE-----\n', namespace: '644 default' } },
  { name: 'projected: every failing source is said', volume: { projected: { sources: [{ configMap: { name: 'a' } }, { secret: { name: 'b' } }] } },
    want: /^\[configmap "a" not found, secret "b" not found\]$/ },
];

test('volume payloads', async (t) => {
  for (const c of cases) {
    await t.test(c.name, async () => {
      if (c.want instanceof RegExp) await assert.rejects(payloadFor(pod, c.volume, inputs()), (e: Error) => e instanceof MountError && (c.want as RegExp).test(e.message));
      else assert.deepEqual(show((await payloadFor(pod, c.volume, inputs()))!), c.want);
    });
  }
});

test('without a token source the service account volume fails to mount, saying why', async () => {
  await assert.rejects(payloadFor(pod, kubeApiAccessVolume('x'), inputs(noTokenSource)), /^Error: failed to fetch token: mk has no service account token source on this node$/);
});

test('formatMap and resource values', () => {
  assert.equal(formatMap({ b: '2', a: '1' }), 'a="1"\nb="2"');
  assert.equal(formatMap(undefined), '');
  assert.equal(resourceFieldValue(pod, { containerName: 'c', resource: 'limits.cpu' }, {}), '1');
  assert.throws(() => resourceFieldValue(pod, { containerName: 'nope', resource: 'limits.cpu' }, {}), /container nope not found/);
});
