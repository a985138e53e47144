// Generated apply scenarios checked against real kubectl: random (seeded, so every run is the
// same table) last-applied / new config / live Deployments with keyed lists in every order.
// For each, the three-way patch must equal what `kubectl apply` sends, and applying it must
// give what `kubectl patch --local` gives. Skipped without kubectl.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMergePatch, threeWayStrategicPatch } from './index.ts';
import type { KubeObject } from '../api/types.ts';
import { annotated, dropNulls, hasKubectl, LAST_APPLIED, modifiedFromPatch, oracle, type Obj } from './kubectl-oracle.ts';

const kubectl = oracle();
after(() => kubectl.close());

let seed = 20240601;
/** mulberry32: a small seeded generator, so the generated table is the same on every run. */
const rand = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) / 4294967296 * n) | 0;
};
const coin = () => rand(2) === 0;
/** A random subset of `pool` in random order. */
const pick = <T>(pool: T[], min = 0): T[] => {
  const out = pool.filter(() => coin());
  for (let i = out.length - 1; i > 0; i--) {
    const j = rand(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out.length >= min ? out : pool.slice(0, min);
};

function container(name: string): Obj {
  const c: Obj = { name, image: `${name}:${1 + rand(3)}` };
  if (coin()) c.env = pick(['X', 'Y', 'Z']).map((n) => ({ name: n, value: String(rand(3)) }));
  if (coin()) c.ports = pick([80, 81, 82]).map((p) => ({ containerPort: p }));
  if (coin()) c.args = pick(['-v', '-q', '--x']);
  return c;
}

function deployment(): Obj {
  const meta: Obj = { name: 'web', namespace: 'default', labels: { app: 'web', ...(coin() ? { tier: 'fe' } : {}), ...(coin() ? { env: String(rand(2)) } : {}) } };
  if (coin()) meta.finalizers = pick(['x/a', 'x/b', 'x/c']);
  const spec: Obj = { replicas: 1 + rand(3), selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: pick(['a', 'b', 'c', 'd'], 1).map(container) } } };
  const volumes = pick(['data', 'cfg', 'tmp']).map((name) => ({ name, ...[{ emptyDir: {} }, { hostPath: { path: `/srv/${name}` } }, { configMap: { name } }][rand(3)] }));
  if (volumes.length) {
    spec.template.spec.volumes = volumes;
    spec.template.spec.containers[0].volumeMounts = volumes.map((v) => ({ name: v.name, mountPath: `/mnt/${v.name}` }));
  }
  if (coin()) spec.template.spec.tolerations = pick([{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }]);
  if (coin()) spec.strategy = coin() ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 + rand(2) } };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec };
}

/** The live object: last applied, defaulted by the server, then drifted by someone else. */
function live(last: Obj): Obj {
  const o = structuredClone(annotated(last));
  Object.assign(o.metadata, { uid: 'u-1', resourceVersion: String(1 + rand(99)) });
  const cs: Obj[] = o.spec.template.spec.containers;
  for (const c of cs) c.imagePullPolicy = 'IfNotPresent';
  if (coin()) cs[rand(cs.length)].image = 'drifted:1';
  if (coin()) cs.reverse();
  if (coin()) cs.push({ name: 'sidecar', image: 'side:1' });
  if (coin()) o.metadata.labels.owner = 'ops';
  if (coin()) o.spec.replicas = 9;
  return o;
}

function service(): Obj {
  const ports = pick([80, 443, 8080], 1).map((port) => ({ name: `p${port}`, port, targetPort: port + rand(2) }));
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ...(coin() ? { type: 'NodePort' } : {}), selector: { app: 'web' }, ports } };
}

function liveService(last: Obj): Obj {
  const o = structuredClone(annotated(last));
  Object.assign(o.metadata, { uid: 'u-2', resourceVersion: '5' });
  o.spec.clusterIP = '10.96.0.7';
  o.spec.type ??= 'ClusterIP';
  for (const p of o.spec.ports) {
    p.protocol = 'TCP';
    if (o.spec.type === 'NodePort') p.nodePort = 30000 + p.port;
  }
  return o;
}

for (let i = 0; i < Number(process.env.MK_PATCH_FUZZ ?? 30) / 2; i++) {
  const last = service();
  const modified = service();
  const current = liveService(last);
  test(`generated Service apply #${i}: patch and result match kubectl`, { skip: !hasKubectl() && 'kubectl not installed' }, async () => {
    const sent = await kubectl.apply(33, modified, current);
    const mine = threeWayStrategicPatch(JSON.parse(current.metadata.annotations[LAST_APPLIED]), modifiedFromPatch(sent.body), current, 'Service');
    assert.deepEqual(mine, sent.body, 'the three-way patch');
    const want = dropNulls(await kubectl.patchLocal(current, sent.body, 'strategic'));
    assert.deepEqual(strategicMergePatch(current as KubeObject, sent.body), want, 'the patched object');
  });
}

// MK_PATCH_FUZZ=<n> explores more cases than the 30 every run checks.
for (let i = 0; i < Number(process.env.MK_PATCH_FUZZ ?? 30); i++) {
  const last = deployment();
  const modified = deployment();
  const current = live(last);
  test(`generated apply #${i}: patch and result match kubectl`, { skip: !hasKubectl() && 'kubectl not installed' }, async () => {
    const sent = await kubectl.apply(33, modified, current);
    const mine = threeWayStrategicPatch(JSON.parse(current.metadata.annotations[LAST_APPLIED]), modifiedFromPatch(sent.body), current, 'Deployment');
    assert.deepEqual(mine, sent.body, 'the three-way patch');
    const want = dropNulls(await kubectl.patchLocal(current, sent.body, 'strategic'));
    assert.deepEqual(strategicMergePatch(current as KubeObject, sent.body), want, 'the patched object');
  });
}
